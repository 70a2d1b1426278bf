import JobConfig
import Logging
import Storage
import Testing
@testable import Recorder

/// The job's `storage_config` turned into the backend that uploads the recording.
@Suite struct StorageConfigStorageTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func eachTypeGetsItsBackendAndEndpoint() throws {
        let aws = try #require(try StorageConfig(
            type: .aws, bucket: "b", region: "eu-west-1", accessKey: Secret("AKIAEXAMPLE"), secret: Secret("secretkey")
        ).makeStorage(logger: logger) as? S3Storage)
        #expect(aws.endpoint == .aws(region: "eu-west-1") && aws.bucket == "b")
        let spaces = try #require(try StorageConfig(
            type: .digitalocean, bucket: "b", region: "fra1", accessKey: Secret("key1"), secret: Secret("secret1")
        ).makeStorage(logger: logger) as? S3Storage)
        #expect(spaces.endpoint == .digitalOceanSpaces(region: "fra1"))
        let r2 = try #require(try StorageConfig(
            type: .cloudflare, bucket: "b", accessKey: Secret("key1"), secret: Secret("secret1"),
            endpoint: "https://account.r2.cloudflarestorage.com"
        ).makeStorage(logger: logger) as? S3Storage)
        #expect(r2.endpoint.host == "account.r2.cloudflarestorage.com" && r2.endpoint.region == "auto")
        let gcs = try #require(try StorageConfig(
            type: .gcs, bucket: "b", accessKey: Secret("GOOG1EXAMPLE"), secret: Secret("secret1")
        ).makeStorage(logger: logger) as? S3Storage)
        #expect(gcs.endpoint == .googleCloudStorage())
        let local = try #require(try StorageConfig(type: .local, path: "/srv/recordings").makeStorage(logger: logger) as? LocalStorage)
        #expect(local.directory == "/srv/recordings")
        #expect(try StorageConfig(
            type: .sftp, host: "sftp.example", username: "rec", password: Secret("pw-123456"), authMethod: .password
        ).makeStorage(logger: logger) is SFTPStorage)
    }

    @Test func whatOnlyTheBackendCanJudgeIsAnErrorNamingTheFieldNotTheSecret() {
        #expect(throws: StorageConfigurationError(field: "storage_config.endpoint", reason: "required for cloudflare")) {
            try StorageConfig(type: .cloudflare, bucket: "b", accessKey: Secret("key1"), secret: Secret("secret1")).makeStorage(logger: logger)
        }
        do {
            _ = try StorageConfig(
                type: .sftp, host: "sftp.example", username: "rec", privateKey: Secret("not-a-key-secret-text"), authMethod: .key
            ).makeStorage(logger: logger)
            Issue.record("a malformed private key was accepted")
        } catch {
            #expect(error.field == "private_key")
            #expect(!error.description.contains("not-a-key-secret-text"))
        }
        #expect(throws: StorageConfigurationError.self) {
            try StorageConfig(type: .azure, bucket: "c", accessKey: Secret("AccountName=x")).makeStorage(logger: logger)
        }
    }

    @Test func keysAreThePathPlusTheFileNameExceptInALocalFolderAndAbsoluteOnAnSFTPServer() {
        #expect(StorageConfig(type: .aws, path: "meetings/").key(forFileNamed: "a_1234_1.mp4") == "meetings/a_1234_1.mp4")
        #expect(StorageConfig(type: .sftp, path: "/upload/").key(forFileNamed: "a.mp4") == "/upload/a.mp4")
        #expect(StorageConfig(type: .sftp, path: "upload").key(forFileNamed: "a.mp4") == "upload/a.mp4")
        #expect(StorageConfig(type: .azure).key(forFileNamed: "a.mp4") == "a.mp4")
        #expect(StorageConfig(type: .local, path: "/srv/recordings").key(forFileNamed: "a.mp4") == "a.mp4")
    }
}
