import Foundation
import Synchronization
import Testing

@testable import Storage

/// Request-shape tests: no Azure server is reachable here (Azurite is an npm package), so a
/// transport records the requests and answers 201. The signatures themselves are checked
/// against the SDK in AzureSharedKeyTests.
struct AzureBlobStorageTests {
    static let account = AzureAccount(
        name: "tesseraacct", key: Data(0..<64), blobEndpoint: "http://127.0.0.1:10000/tesseraacct")
    static let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_685_400) }

    static func storage(_ transport: any HTTPTransport, blockSize: Int64 = 1024) -> AzureBlobStorage
    {
        AzureBlobStorage(
            account: account, container: "recordings", transport: transport,
            options: AzureBlobStorage.Options(
                blockSize: blockSize,
                retry: RetryPolicy(
                    maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(5))),
            logger: CapturedLog().logger(), now: fixedNow)
    }

    @Test func smallFileIsOnePutBlobSignedAsTheSDKSignsIt() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("a.webm", count: 11)
        let transport = RecordingTransport()

        let stored = try await Self.storage(transport).upload(
            localPath: file.path, key: "a.webm", contentType: "video/webm"
        ) { _ in }

        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "PUT")
        #expect(request.url == "http://127.0.0.1:10000/tesseraacct/recordings/a.webm")
        #expect(request.header("x-ms-blob-type") == "BlockBlob")
        #expect(request.header("x-ms-date") == "Thu, 26 Nov 2026 09:30:00 GMT")
        #expect(request.header("x-ms-version") == "2021-08-06")
        // Fixtures/azure_sdk.py, case putBlobLoopback: the same request signed by the SDK.
        #expect(
            request.header("Authorization")
                == "SharedKey tesseraacct:d5xioYIpleon3Eg4KPbla8SfsQDTS4v+xgBOVFKs7uM=")
        #expect(request.body == file.bytes)
        #expect(stored.location == "http://127.0.0.1:10000/tesseraacct/recordings/a.webm")
        let url = try #require(stored.downloadURL)
        #expect(
            url.hasPrefix(
                "http://127.0.0.1:10000/tesseraacct/recordings/a.webm?st=2026-11-26T09%3A15%3A00Z&se=2026-12-03T09%3A30%3A00Z&sp=r&spr=https%2Chttp&sv=2021-08-06&sr=b&sig="
            ))
        #expect(stored.downloadURLExpiry == Date(timeIntervalSince1970: 1_795_685_400 + 604_800))
    }

    @Test func largeFileIsBlocksThenABlockList() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("b.mp4", count: 2500)
        let transport = RecordingTransport()

        _ = try await Self.storage(transport).upload(
            localPath: file.path, key: "m/b c.mp4", contentType: "video/mp4"
        ) { _ in }

        let requests = transport.requests
        #expect(requests.count == 4)
        let ids = ["YmxvY2stMDAwMDAx", "YmxvY2stMDAwMDAy", "YmxvY2stMDAwMDAz"]
        for (index, id) in ids.enumerated() {
            #expect(
                requests[index].url
                    == "http://127.0.0.1:10000/tesseraacct/recordings/m/b%20c.mp4?comp=block&blockid=\(id)"
            )
            let start = index * 1024
            #expect(requests[index].body == file.bytes[start..<min(start + 1024, 2500)])
        }
        #expect(requests[3].url.hasSuffix("?comp=blocklist"))
        #expect(requests[3].header("x-ms-blob-content-type") == "video/mp4")
        #expect(
            String(decoding: requests[3].body, as: UTF8.self)
                == "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>YmxvY2stMDAwMDAx</Latest><Latest>YmxvY2stMDAwMDAy</Latest><Latest>YmxvY2stMDAwMDAz</Latest></BlockList>"
        )
        #expect(!FileManager.default.fileExists(atPath: UploadJournal.path(for: file.path)))
    }

    @Test func interruptedBlockUploadResumes() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("c.mp4", count: 3000)
        let first = ObservingTransport(RecordingTransport(), interruptAfterParts: 1)
        await #expect(throws: UploadError.self) {
            _ = try await Self.storage(first).upload(
                localPath: file.path, key: "c.mp4", contentType: nil
            ) { _ in }
        }
        let second = RecordingTransport()
        _ = try await Self.storage(second).upload(
            localPath: file.path, key: "c.mp4", contentType: nil
        ) { _ in }
        #expect(
            second.requests.map { $0.url.split(separator: "?").last.map(String.init) ?? "" } == [
                "comp=block&blockid=YmxvY2stMDAwMDAy", "comp=block&blockid=YmxvY2stMDAwMDAz",
                "comp=blocklist",
            ])
    }

    @Test func errorsRetryOn503AndStopOn403WithoutTheKey() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("d.mp4", count: 10)
        let flaky = RecordingTransport(statuses: [503, 201])
        _ = try await Self.storage(flaky).upload(
            localPath: file.path, key: "d.mp4", contentType: nil
        ) {
            _ in
        }
        #expect(flaky.requests.count == 2)

        let denied = RecordingTransport(statuses: [403])
        do {
            _ = try await Self.storage(denied).upload(
                localPath: file.path, key: "d.mp4", contentType: nil
            ) { _ in }
            Issue.record("403 accepted")
        } catch {
            #expect(denied.requests.count == 1)
            #expect(
                error.reason == .rejected(status: 403, code: "AuthenticationFailed", message: "no"))
            #expect(!error.description.contains(Self.account.key.base64EncodedString()))
        }
    }
}

struct RetryBoundTests {
    @Test func retriesStopWhenTheTotalTimeIsSpent() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("e.mp4", count: 10)
        let busy = RecordingTransport(statuses: [503])
        let storage = AzureBlobStorage(
            account: AzureBlobStorageTests.account, container: "recordings", transport: busy,
            options: AzureBlobStorage.Options(
                retry: RetryPolicy(
                    maxAttempts: 1000, initialDelay: .milliseconds(20),
                    maxDelay: .milliseconds(40), maxTotal: .milliseconds(300))),
            logger: CapturedLog().logger())
        do {
            _ = try await storage.upload(localPath: file.path, key: "e.mp4", contentType: nil) {
                _ in
            }
            Issue.record("503 accepted")
        } catch {
            #expect(error.reason == .rejected(status: 503, code: "ServerBusy", message: "no"))
            #expect(error.attempts == busy.requests.count)
            // Retried, but stopped by the 300 ms budget (pauses of at least 10 ms), not by the
            // 1000-attempt limit; a loaded machine fits fewer attempts.
            #expect((2...31).contains(error.attempts))
        }
    }
}

struct UploadJournalTests {
    @Test func journalIsIgnoredWhenTheFileOrTargetChanged() throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("f.mp4", count: 100)
        let info = try LocalFile.info(file.path)
        let journal = UploadJournal(
            destination: "s3://b/f.mp4", fileSize: info.size,
            fileModifiedNanoseconds: info.modifiedNanoseconds, pieceSize: 10, uploadID: "u",
            pieces: [UploadJournal.Piece(number: 1, tag: "\"e1\"")])
        try journal.save(localPath: file.path)
        #expect(
            UploadJournal.load(
                localPath: file.path, destination: "s3://b/f.mp4", file: info, pieceSize: 10)
                == journal)
        #expect(
            UploadJournal.load(
                localPath: file.path, destination: "s3://b/other.mp4", file: info, pieceSize: 10)
                == nil)
        #expect(
            UploadJournal.load(
                localPath: file.path, destination: "s3://b/f.mp4", file: info, pieceSize: 20)
                == nil)
        var rewritten = info
        rewritten.modifiedNanoseconds += 1
        #expect(
            UploadJournal.load(
                localPath: file.path, destination: "s3://b/f.mp4", file: rewritten, pieceSize: 10)
                == nil)
        try Data("{not json".utf8).write(
            to: URL(fileURLWithPath: UploadJournal.path(for: file.path)))
        #expect(
            UploadJournal.load(
                localPath: file.path, destination: "s3://b/f.mp4", file: info, pieceSize: 10)
                == nil)
    }
}

/// Records requests and answers with the given statuses in turn (the last one repeats); error
/// statuses carry an Azure-style error document.
final class RecordingTransport: HTTPTransport {
    private let state: Mutex<(requests: [HTTPRequest], statuses: [Int])>

    init(statuses: [Int] = [201]) {
        state = Mutex(([], statuses))
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let status = state.withLock { state in
            state.requests.append(request)
            return state.statuses.count > 1 ? state.statuses.removeFirst() : state.statuses[0]
        }
        if status < 300 { return HTTPResponse(status: status) }
        let code = status == 403 ? "AuthenticationFailed" : "ServerBusy"
        return HTTPResponse(
            status: status,
            body: Data(
                "<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>no</Message></Error>"
                    .utf8))
    }
}
