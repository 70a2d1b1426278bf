import Foundation
import Synchronization
import Testing

@testable import Storage

/// Uploads to moto's S3 server (PyPI `moto[server]`) on loopback, some through
/// scripts/storage-test-servers/fault_proxy.py. Parts are 256 KiB; moto is started with that as
/// its minimum part size (S3's own minimum is 5 MiB).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct S3StorageTests {
    static let credentials = S3Credentials(
        accessKeyID: "AKIDMOTOTESTKEY00001",
        secretAccessKey: "moto/Secret+Value/0123456789abcdefXYZ")
    static let partSize: Int64 = 256 << 10
    static let fastRetry = RetryPolicy(
        maxAttempts: 4, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100),
        maxTotal: .seconds(20))
    static let bucket = "tessera-test"

    static func storage(port: Int, transport: any HTTPTransport, log: CapturedLog? = nil) throws
        -> S3Storage
    {
        S3Storage(
            endpoint: try S3Endpoint(url: "http://127.0.0.1:\(port)", region: "us-east-1"),
            bucket: bucket,
            credentials: credentials, transport: transport,
            options: S3Storage.Options(partSize: partSize, retry: fastRetry),
            logger: log?.logger() ?? CapturedLog().logger())
    }

    static func createBucket(port: Int) async throws {
        let host = "127.0.0.1:\(port)"
        let headers = SigV4.signedHeaders(
            for: SigV4Request(method: "PUT", host: host, encodedPath: "/\(bucket)"),
            payloadHash: SigV4.emptyPayloadHash, credentials: credentials, region: "us-east-1",
            date: Date())
        let response = try await AsyncHTTPTransport().send(
            HTTPRequest(method: "PUT", url: "http://\(host)/\(bucket)", headers: headers))
        try #require(response.status == 200)
    }

    static func download(_ url: String?) async throws -> Data {
        let url = try #require(url)
        let response = try await AsyncHTTPTransport().send(HTTPRequest(method: "GET", url: url))
        try #require(response.status == 200, "GET presigned URL answered \(response.status)")
        return response.body
    }

    @Test func smallFileIsOnePutAndThePresignedURLDownloadsIt() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        try await Self.createBucket(port: moto.port)
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("acme_1234_1700000000000.mp4", count: 100_000)
        let transport = ObservingTransport(AsyncHTTPTransport())
        let before = Date()

        let stored = try await Self.storage(port: moto.port, transport: transport).upload(
            localPath: file.path, key: "meetings/acme_1234_1700000000000.mp4",
            contentType: "video/mp4"
        ) { _ in }

        #expect(transport.requests == ["PUT "])
        #expect(
            stored.location
                == "http://127.0.0.1:\(moto.port)/tessera-test/meetings/acme_1234_1700000000000.mp4"
        )
        #expect(stored.size == 100_000)
        let expiry = try #require(stored.downloadURLExpiry)
        #expect(abs(expiry.timeIntervalSince(before) - 604_800) < 60)
        #expect(try await Self.download(stored.downloadURL) == file.bytes)
    }

    @Test func largeFileIsAMultipartUpload() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        try await Self.createBucket(port: moto.port)
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("big.webm", count: 4 * Int(Self.partSize) + 12_345)
        let transport = ObservingTransport(AsyncHTTPTransport())
        let reports = ProgressLog()

        let stored = try await Self.storage(port: moto.port, transport: transport).upload(
            localPath: file.path, key: "rec/big file.webm", contentType: "video/webm",
            progress: reports.record)

        let requests = transport.requests
        #expect(requests.first == "POST uploads")
        #expect(requests.filter { $0.hasPrefix("PUT partNumber=") }.count == 5)
        #expect(requests.last?.hasPrefix("POST uploadId=") == true)
        #expect(requests.count == 7)
        #expect(
            reports.values.last
                == UploadProgress(
                    bytesDone: Int64(file.bytes.count), totalBytes: Int64(file.bytes.count)))
        #expect(reports.values.map(\.bytesDone) == reports.values.map(\.bytesDone).sorted())
        #expect(!FileManager.default.fileExists(atPath: UploadJournal.path(for: file.path)))
        #expect(try await Self.download(stored.downloadURL) == file.bytes)
    }

    @Test func interruptedUploadResumesWithoutResendingParts() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        try await Self.createBucket(port: moto.port)
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("resume.mp4", count: 4 * Int(Self.partSize) + 999)
        let key = "meetings/resume.mp4"

        // The first uploader stops after two parts, as a killed process would.
        let first = ObservingTransport(AsyncHTTPTransport(), interruptAfterParts: 2)
        await #expect {
            _ = try await Self.storage(port: moto.port, transport: first).upload(
                localPath: file.path, key: key, contentType: "video/mp4"
            ) { _ in }
        } throws: { error in
            (error as? UploadError)?.reason == .cancelled
                && (error as? UploadError)?.operation == "UploadPart 3"
        }
        let journalData = try #require(
            FileManager.default.contents(atPath: UploadJournal.path(for: file.path)))
        let journal = try JSONDecoder().decode(UploadJournal.self, from: journalData)
        #expect(journal.pieces.map(\.number) == [1, 2])
        let journalText = String(decoding: journalData, as: UTF8.self)
        #expect(!journalText.contains(Self.credentials.accessKeyID))
        #expect(!journalText.contains(Self.credentials.secretAccessKey))
        let uploadID = try #require(journal.uploadID)

        // The service holds exactly those two parts (ListParts).
        let inspector = try Self.storage(port: moto.port, transport: AsyncHTTPTransport())
        let listing = try await inspector.send(
            "ListParts", method: "GET", key: key, query: [HTTPHeader("uploadId", uploadID)],
            body: Data())
        let listed = XMLText.all("PartNumber", in: String(decoding: listing.body, as: UTF8.self))
        #expect(listed == ["1", "2"])

        // A new uploader with the same journal sends only parts 3 to 5, then completes.
        let second = ObservingTransport(AsyncHTTPTransport())
        let reports = ProgressLog()
        let stored = try await Self.storage(port: moto.port, transport: second).upload(
            localPath: file.path, key: key, contentType: "video/mp4", progress: reports.record)
        let parts = second.requests.filter { $0.hasPrefix("PUT partNumber=") }.map { $0.prefix(18) }
        #expect(parts == ["PUT partNumber=3&u", "PUT partNumber=4&u", "PUT partNumber=5&u"])
        #expect(!second.requests.contains("POST uploads"))
        #expect(reports.values.first?.bytesDone == 2 * Self.partSize)
        #expect(!FileManager.default.fileExists(atPath: UploadJournal.path(for: file.path)))
        #expect(try await Self.download(stored.downloadURL) == file.bytes)
    }

    @Test func serverErrorsAreRetried() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        try await Self.createBucket(port: moto.port)
        let scratch = try ScratchFolder()
        let log = "\(scratch.path)/proxy.log"
        let proxy = try await startFaultProxy(
            upstreamPort: moto.port, rules: ["PUT:partNumber=2:500:2", "POST:uploadId=:503:1"],
            log: log)
        defer { proxy.stop() }
        let file = try scratch.makeFile("retry.mp4", count: 2 * Int(Self.partSize) + 7)

        let stored = try await Self.storage(port: proxy.port, transport: AsyncHTTPTransport())
            .upload(
                localPath: file.path, key: "retry.mp4", contentType: nil
            ) { _ in }

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.filter { $0.contains("partNumber=2&") }.map { $0.split(separator: " ").last! }
                == [
                    "500", "500", "200",
                ])
        #expect(
            lines.filter { $0.hasPrefix("POST") && $0.contains("uploadId=") }.map {
                $0.split(separator: " ").last!
            } == ["503", "200"])
        #expect(try await Self.download(stored.downloadURL) == file.bytes)
    }

    @Test func connectionDroppedMidPartIsRetried() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        try await Self.createBucket(port: moto.port)
        let scratch = try ScratchFolder()
        let log = "\(scratch.path)/proxy.log"
        let proxy = try await startFaultProxy(
            upstreamPort: moto.port, rules: ["PUT:partNumber=1:drop:1"], log: log)
        defer { proxy.stop() }
        let file = try scratch.makeFile("drop.mp4", count: 2 * Int(Self.partSize) + 1)

        let stored = try await Self.storage(port: proxy.port, transport: AsyncHTTPTransport())
            .upload(
                localPath: file.path, key: "drop.mp4", contentType: "video/mp4"
            ) { _ in }

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.filter { $0.contains("partNumber=1&") }.map { $0.split(separator: " ").last! }
                == [
                    "drop", "200",
                ])
        #expect(try await Self.download(stored.downloadURL) == file.bytes)
    }

    @Test func forbiddenFailsAtOnceAndKeepsTheFile() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        let scratch = try ScratchFolder()
        let log = "\(scratch.path)/proxy.log"
        let proxy = try await startFaultProxy(
            upstreamPort: moto.port, rules: ["PUT::403:100"], log: log)
        defer { proxy.stop() }
        let file = try scratch.makeFile("denied.mp4", count: 5000)
        let captured = CapturedLog()
        let storage = try Self.storage(
            port: proxy.port, transport: AsyncHTTPTransport(), log: captured)

        do {
            _ = try await storage.upload(
                localPath: file.path, key: "denied.mp4", contentType: "video/mp4"
            ) { _ in }
            Issue.record("upload succeeded through a proxy answering 403")
        } catch {
            #expect(
                error.reason
                    == .rejected(
                        status: 403, code: "AccessDenied", message: "injected by fault_proxy"))
            #expect(error.attempts == 1)
            #expect(error.keptFile == file.path)
            #expect(error.description.contains("the file is kept at \(file.path)"))
            for secret in [Self.credentials.accessKeyID, Self.credentials.secretAccessKey] {
                #expect(!error.description.contains(secret))
                #expect(!captured.text.contains(secret))
            }
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
    }

    @Test func persistentServerErrorGivesUpAfterTheLastAttemptAndKeepsTheFile() async throws {
        let moto = try await startMoto(minimumPartSize: Int(Self.partSize))
        defer { moto.stop() }
        let scratch = try ScratchFolder()
        let log = "\(scratch.path)/proxy.log"
        let proxy = try await startFaultProxy(
            upstreamPort: moto.port, rules: ["PUT::500:100"], log: log)
        defer { proxy.stop() }
        let file = try scratch.makeFile("down.mp4", count: 3000)
        let captured = CapturedLog()

        await #expect {
            _ = try await Self.storage(
                port: proxy.port, transport: AsyncHTTPTransport(), log: captured
            )
            .upload(
                localPath: file.path, key: "down.mp4", contentType: nil
            ) { _ in }
        } throws: { error in
            guard let error = error as? UploadError else { return false }
            return error.attempts == Self.fastRetry.maxAttempts && error.operation == "PutObject"
                && error.reason
                    == .rejected(
                        status: 500, code: "Injected500", message: "injected by fault_proxy")
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.fastRetry.maxAttempts)
        #expect(captured.text.contains("will be retried"))
        #expect(!captured.text.contains(Self.credentials.secretAccessKey))
        #expect(!captured.text.contains(Self.credentials.accessKeyID))
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
    }
}

/// Progress reports in arrival order.
final class ProgressLog: Sendable {
    private let reports = Mutex<[UploadProgress]>([])
    var values: [UploadProgress] { reports.withLock { $0 } }

    var record: @Sendable (UploadProgress) -> Void {
        { [self] report in reports.withLock { $0.append(report) } }
    }
}
