import Foundation
import Testing

@testable import Storage

#if canImport(Glibc)
    import Glibc
#endif

struct LocalStorageTests {
    @Test func copiesUnderTheKeyAndLeavesNoTemporaryFile() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("source.mp4", count: 300_000)
        let target = "\(scratch.path)/out"
        let reports = ProgressLog()

        let stored = try await LocalStorage(directory: target, chunkSize: 65_536).upload(
            localPath: file.path, key: "meetings/acme_1_2.mp4", contentType: "video/mp4",
            progress: reports.record)

        #expect(stored.location == "\(target)/meetings/acme_1_2.mp4")
        #expect(stored.downloadURL == nil)
        #expect(FileManager.default.contents(atPath: stored.location) == file.bytes)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "\(target)/meetings") == [
                "acme_1_2.mp4"
            ])
        #expect(reports.values.last == UploadProgress(bytesDone: 300_000, totalBytes: 300_000))
        #expect(reports.values.count >= 5)
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
    }

    @Test func keyCannotLeaveTheFolder() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("source.mp4", count: 10)
        await #expect(throws: UploadError.self) {
            _ = try await LocalStorage(directory: "\(scratch.path)/out").upload(
                localPath: file.path, key: "../escape.mp4", contentType: nil
            ) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/escape.mp4"))
    }

    @Test func missingSourceIsAnErrorNamingIt() async throws {
        let scratch = try ScratchFolder()
        do {
            _ = try await LocalStorage(directory: scratch.path).upload(
                localPath: "\(scratch.path)/absent.mp4", key: "a.mp4", contentType: nil
            ) { _ in }
            Issue.record("copied a missing file")
        } catch {
            #expect(
                error.description.contains("\(scratch.path)/absent.mp4: No such file or directory"))
        }
    }

    /// A 1 MiB tmpfs mounted for the test (needs root) receives a 3 MiB file.
    @Test(.enabled(if: getuid() == 0)) func fullDiskFailsAndKeepsTheSource() async throws {
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("big.mp4", count: 3 << 20)
        let mountPoint = "\(scratch.path)/small-disk"
        try FileManager.default.createDirectory(
            atPath: mountPoint, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount tmpfs failed")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [mountPoint]
            try? unmount.run()
            unmount.waitUntilExit()
        }

        do {
            _ = try await LocalStorage(directory: mountPoint).upload(
                localPath: file.path, key: "big.mp4", contentType: nil
            ) { _ in }
            Issue.record("a 3 MiB file fit on a 1 MiB disk")
        } catch {
            guard case .localFile(let text) = error.reason else {
                Issue.record("unexpected reason \(error.reason)")
                return
            }
            #expect(text.contains("No space left on device"))
            #expect(error.keptFile == file.path)
            #expect(error.description.contains("the file is kept at \(file.path)"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty)
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
    }
}

struct StorageValueTests {
    @Test func objectKeys() {
        #expect(objectKey(prefix: "meetings/", fileName: "a.mp4") == "meetings/a.mp4")
        #expect(objectKey(prefix: "/meetings", fileName: "a.mp4") == "meetings/a.mp4")
        #expect(objectKey(prefix: "", fileName: "a.mp4") == "a.mp4")
        #expect(objectKey(prefix: nil, fileName: "a.mp4") == "a.mp4")
        #expect(objectKey(prefix: "x/y//", fileName: "a.mp4") == "x/y/a.mp4")
    }

    @Test func piecePlans() {
        let plan = PiecePlan(fileSize: 10, preferred: 4, maxCount: 100)
        #expect(plan.size == 4 && plan.count == 3)
        let last = plan.range(of: 3, fileSize: 10)
        #expect(last.offset == 8 && last.length == 2)
        // 100 parts at most: 1000 bytes need parts of 10.
        let grown = PiecePlan(fileSize: 1000, preferred: 1, maxCount: 100)
        #expect(grown.size == 10 && grown.count == 100)
        #expect(PiecePlan(fileSize: 8, preferred: 4, maxCount: 100).count == 2)
    }

    @Test func retryDelaysGrowWithJitterAndAreCapped() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .milliseconds(1000))
        #expect(policy.delay(afterAttempt: 1, randomFraction: 0) == .milliseconds(50))
        #expect(policy.delay(afterAttempt: 1, randomFraction: 1) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 3, randomFraction: 0) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 3, randomFraction: 0.5) == .milliseconds(300))
        #expect(policy.delay(afterAttempt: 30, randomFraction: 1) == .milliseconds(1000))
        #expect(RetryPolicy.isRetryable(status: 503, code: nil))
        #expect(RetryPolicy.isRetryable(status: 429, code: nil))
        #expect(RetryPolicy.isRetryable(status: 400, code: "RequestTimeout"))
        #expect(!RetryPolicy.isRetryable(status: 403, code: "AccessDenied"))
        #expect(!RetryPolicy.isRetryable(status: 404, code: "NoSuchBucket"))
    }

    @Test func errorDocumentsAndRedaction() {
        let body = Data(
            "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>key AKIDX1234 &amp; more</Message></Error>"
                .utf8)
        let document = ErrorDocument(body)
        #expect(document?.code == "SignatureDoesNotMatch")
        #expect(document?.message == "key AKIDX1234 & more")
        #expect(ErrorDocument(Data("<ok/>".utf8)) == nil)
        #expect(Redactor(secrets: ["AKIDX1234", "ab"]).scrub("key AKIDX1234 ab") == "key *** ab")
    }
}
