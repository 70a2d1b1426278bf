import Foundation
import Synchronization
import Testing

@testable import Storage

/// Uploads to a real OpenSSH server on loopback (see `SSHServerFixture`).
// Serialized: the fixture blocks on ssh-keygen, useradd and chpasswd, which starves the
// cooperative thread pool when several servers start at once.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SFTPStorageTests {
    /// Confirmed byte counts reported by one upload.
    final class ProgressLog: Sendable {
        private let values = Mutex<[Int64]>([])
        var all: [Int64] { values.withLock { $0 } }
        func record(_ progress: UploadProgress) { values.withLock { $0.append(progress.bytesDone) } }
    }

    static let fastRetries = SFTPStorage.Options(
        retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
        connectTimeout: .seconds(10), requestTimeout: .seconds(20))

    @Test func keyAuthenticationUploadsTheExactBytesUnderTheFinalNameOnly() async throws {
        let server = try await SSHServerFixture()
        let scratch = try ScratchFolder()
        let log = CapturedLog()
        let file = try scratch.makeFile("meeting.mp4", count: 1_000_003, seed: 3)
        for (index, key) in [server.ed25519Key, server.ecdsaKey].enumerated() {
            let storage = try SFTPStorage(
                host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
                authentication: .privateKey(key), hostKeyFingerprint: server.hostKeyFingerprint,
                options: Self.fastRetries, logger: log.logger())
            let progress = ProgressLog()
            let stored = try await storage.upload(
                localPath: file.path, key: "\(server.runFolder)/key\(index)/nested/meeting.mp4",
                contentType: "video/mp4", progress: progress.record)
            let folder = "\(server.home)/\(server.runFolder)/key\(index)/nested"
            #expect(stored.location == "sftp://127.0.0.1:\(server.port)\(folder)/meeting.mp4")
            #expect(stored.size == 1_000_003)
            #expect(FileManager.default.contents(atPath: "\(folder)/meeting.mp4") == file.bytes)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["meeting.mp4"])
            #expect(progress.all.last == 1_000_003)
            #expect(progress.all.count > 30)  // one per acknowledged 32 KiB write
            #expect(progress.all == progress.all.sorted())
        }
        #expect(server.log.contains("Accepted publickey for \(SSHServerFixture.user)"))
        for line in (server.ed25519Key + server.ecdsaKey).split(separator: "\n") where line.count > 16 {
            #expect(!log.text.contains(line))
        }
    }

    @Test func passwordAuthenticationUploadsAndReplacesAnExistingFile() async throws {
        let server = try await SSHServerFixture()
        let scratch = try ScratchFolder()
        let log = CapturedLog()
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
            authentication: .password(SSHServerFixture.password), options: Self.fastRetries,
            logger: log.logger())
        let key = "\(server.runFolder)/a.webm"
        for (seed, count) in [(UInt64(5), 70_000), (UInt64(6), 12_345)] {
            let file = try scratch.makeFile("a-\(seed).webm", count: count, seed: seed)
            let stored = try await storage.upload(
                localPath: file.path, key: key, contentType: nil, progress: { _ in })
            #expect(stored.size == Int64(count))
            #expect(FileManager.default.contents(atPath: "\(server.home)/\(key)") == file.bytes)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: "\(server.home)/\(server.runFolder)")
                    == ["a.webm"])
        }
        #expect(server.log.contains("Accepted password for \(SSHServerFixture.user)"))
        // Unpinned: the host key's fingerprint is logged so it can be pinned.
        #expect(log.text.contains(server.hostKeyFingerprint))
        #expect(!log.text.contains(SSHServerFixture.password))
    }

    @Test func wrongPasswordFailsOnceAsRejectedAndKeepsTheFile() async throws {
        let server = try await SSHServerFixture()
        let scratch = try ScratchFolder()
        let log = CapturedLog()
        let file = try scratch.makeFile("b.mp4", count: 50_000, seed: 7)
        let wrong = "wrong-\(UUID().uuidString)"
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
            authentication: .password(wrong), options: Self.fastRetries, logger: log.logger())
        let key = "\(server.runFolder)/b.mp4"
        do {
            _ = try await storage.upload(localPath: file.path, key: key, contentType: nil) { _ in }
            Issue.record("upload with a wrong password succeeded")
        } catch {
            guard case .rejected(401, "SSH_AUTH_FAILED", _) = error.reason else {
                Issue.record("unexpected reason \(error.reason)")
                return
            }
            #expect(error.attempts == 1)
            #expect(error.operation == "connect")
            #expect(error.keptFile == file.path)
            #expect(!error.description.contains(wrong))
        }
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
        #expect(!FileManager.default.fileExists(atPath: "\(server.home)/\(key)"))
        #expect(server.log.components(separatedBy: "Failed password for").count - 1 == 1)
        #expect(!log.text.contains(wrong))
        #expect(!server.log.contains(wrong))
    }

    @Test func unexpectedHostKeyIsRefusedBeforeAuthenticating() async throws {
        let server = try await SSHServerFixture()
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("c.mp4", count: 1_000, seed: 8)
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
            authentication: .password(SSHServerFixture.password),
            hostKeyFingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
            options: Self.fastRetries)
        do {
            _ = try await storage.upload(localPath: file.path, key: "c.mp4", contentType: nil) { _ in }
            Issue.record("upload to an unexpected host key succeeded")
        } catch {
            #expect(
                error.reason
                    == .unexpectedResponse(
                        "host key \(server.hostKeyFingerprint) is not the expected "
                            + "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"))
            #expect(error.attempts == 1)
        }
        #expect(!server.log.contains("Accepted"))
    }

    @Test func refusedConnectionIsRetriedThenReportedAsNetwork() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("d.mp4", count: 1_000, seed: 9)
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: try freeLoopbackPort(), username: "nobody",
            authentication: .password("unused-secret"), options: Self.fastRetries)
        do {
            _ = try await storage.upload(localPath: file.path, key: "d.mp4", contentType: nil) { _ in }
            Issue.record("upload to a closed port succeeded")
        } catch {
            guard case .network = error.reason else {
                Issue.record("unexpected reason \(error.reason)")
                return
            }
            #expect(error.attempts == 3)
            #expect(error.keptFile == file.path)
        }
    }

    @Test func unreadablePrivateKeyIsAConfigurationErrorNamingTheField() {
        #expect(throws: StorageConfigurationError.self) {
            try SFTPStorage(
                host: "h", username: "u", authentication: .privateKey("not a key"))
        }
    }
}
