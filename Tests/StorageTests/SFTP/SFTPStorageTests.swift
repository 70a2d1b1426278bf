import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Storage

/// Uploads to a real OpenSSH server on loopback (see `SSHServerFixture`), one server per test.
@Suite(.timeLimit(.minutes(2))) struct SFTPStorageTests {
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
            authentication: .password(server.password), options: Self.fastRetries,
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
        #expect(!log.text.contains(server.password))
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
            authentication: .password(server.password),
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

    /// Uploads `file` to `meeting.mp4` in the run folder; once `dropAt` bytes are confirmed,
    /// the server's connection processes get `signal` (once).
    static func uploadInterrupted(
        _ file: String, on server: SSHServerFixture, by signal: Int32, dropAt: Int64,
        options: SFTPStorage.Options, log: CapturedLog
    ) async throws -> (key: String, result: Result<StoredObject, UploadError>) {
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
            authentication: .password(server.password), hostKeyFingerprint: server.hostKeyFingerprint,
            options: options, logger: log.logger())
        let signalled = Mutex(false)
        let key = "\(server.runFolder)/meeting.mp4"
        let result: Result<StoredObject, UploadError>
        do {
            result = .success(
                try await storage.upload(localPath: file, key: key, contentType: nil) { progress in
                    guard progress.bytesDone >= dropAt,
                        signalled.withLock({ done in defer { done = true }; return !done })
                    else { return }
                    server.signalConnections(signal)
                })
        } catch {
            result = .failure(error)
        }
        #expect(signalled.withLock { $0 })
        return (key, result)
    }

    /// Names in the run folder other than the hidden temporary files of dropped attempts.
    static func visibleFiles(_ server: SSHServerFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(server.home)/\(server.runFolder)")
            .filter { !$0.hasPrefix(".") }
    }

    @Test func connectionDroppedMidUploadIsRetriedOnANewConnection() async throws {
        let server = try await SSHServerFixture()
        let log = CapturedLog()
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("meeting.mp4", count: 2_000_000, seed: 11)
        let (key, result) = try await Self.uploadInterrupted(
            file.path, on: server, by: SIGKILL, dropAt: 500_000, options: Self.fastRetries, log: log)
        let stored = try result.get()
        #expect(stored.size == 2_000_000)
        #expect(FileManager.default.contents(atPath: "\(server.home)/\(key)") == file.bytes)
        #expect(try Self.visibleFiles(server) == ["meeting.mp4"])
        #expect(log.text.contains("sftp upload will be retried"))
        #expect(server.log.components(separatedBy: "Accepted password for").count - 1 == 2)
        #expect(!log.text.contains(server.password))
    }

    @Test func connectionDroppedMidUploadWithoutRetriesFailsAtOnceAndKeepsTheFile() async throws {
        let server = try await SSHServerFixture()
        let log = CapturedLog()
        let options = SFTPStorage.Options(
            retry: RetryPolicy(maxAttempts: 1), connectTimeout: .seconds(10), requestTimeout: .seconds(60))
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("meeting.mp4", count: 2_000_000, seed: 12)
        let start = ContinuousClock.now
        let (key, result) = try await Self.uploadInterrupted(
            file.path, on: server, by: SIGKILL, dropAt: 500_000, options: options, log: log)
        // Seen as a closed connection, before the 60 s request timeout.
        #expect(ContinuousClock.now - start < .seconds(45))
        guard case .failure(let error) = result else {
            Issue.record("upload over a dropped connection succeeded")
            return
        }
        guard case .network(let text) = error.reason else {
            Issue.record("unexpected reason \(error.reason)")
            return
        }
        // The WRITE that was waiting when the connection went away.
        #expect(text.hasPrefix("WRITE at "))
        #expect(error.operation.hasPrefix("WRITE at "))
        #expect(error.attempts == 1)
        #expect(error.keptFile == file.path)
        #expect(FileManager.default.contents(atPath: file.path) == file.bytes)
        #expect(!FileManager.default.fileExists(atPath: "\(server.home)/\(key)"))
        #expect(!error.description.contains(server.password))
        #expect(!log.text.contains(server.password))
    }

    @Test func serverThatStopsAnsweringFailsAfterTheRequestTimeout() async throws {
        let server = try await SSHServerFixture()
        let log = CapturedLog()
        let options = SFTPStorage.Options(
            retry: RetryPolicy(maxAttempts: 1), connectTimeout: .seconds(10), requestTimeout: .seconds(1))
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("meeting.mp4", count: 2_000_000, seed: 13)
        let start = ContinuousClock.now
        let (key, result) = try await Self.uploadInterrupted(
            file.path, on: server, by: SIGSTOP, dropAt: 300_000, options: options, log: log)
        #expect(ContinuousClock.now - start < .seconds(45))
        guard case .failure(let error) = result, case .network(let text) = error.reason else {
            Issue.record("unexpected result \(result)")
            return
        }
        #expect(text.contains("no answer to WRITE"))
        #expect(error.attempts == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(server.home)/\(key)"))
    }

    @Test func cancellingAnUploadWaitingForAnswersEndsItAtOnce() async throws {
        let server = try await SSHServerFixture()
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("meeting.mp4", count: 2_000_000, seed: 14)
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: server.port, username: SSHServerFixture.user,
            authentication: .password(server.password), hostKeyFingerprint: server.hostKeyFingerprint,
            options: SFTPStorage.Options(
                retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10)),
                requestTimeout: .seconds(60)))
        let stalled = Mutex(false)
        let upload = Task {
            try await storage.upload(
                localPath: file.path, key: "\(server.runFolder)/meeting.mp4", contentType: nil
            ) { progress in
                guard progress.bytesDone >= 300_000,
                    stalled.withLock({ done in defer { done = true }; return !done })
                else { return }
                server.signalConnections(SIGSTOP)
            }
        }
        let start = ContinuousClock.now
        while !stalled.withLock({ $0 }), ContinuousClock.now - start < .seconds(20) {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))
        upload.cancel()
        let result = await upload.result
        // Well before the 60 s request timeout.
        #expect(ContinuousClock.now - start < .seconds(45))
        guard case .failure(let error as UploadError) = result else {
            Issue.record("unexpected result \(result)")
            return
        }
        #expect(error.reason == .cancelled)
        #expect(error.keptFile == file.path)
    }

    @Test func serverThatNeverSpeaksSSHFailsAfterTheConnectTimeout() async throws {
        let listener = try SilentListener()
        let scratch = try ScratchFolder()
        let file = try scratch.makeFile("e.mp4", count: 1_000, seed: 10)
        let storage = try SFTPStorage(
            host: "127.0.0.1", port: listener.port, username: "nobody",
            authentication: .password("unused-secret"),
            options: SFTPStorage.Options(
                retry: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(10)),
                connectTimeout: .seconds(1)))
        let start = ContinuousClock.now
        do {
            _ = try await storage.upload(localPath: file.path, key: "e.mp4", contentType: nil) { _ in }
            Issue.record("upload to a silent server succeeded")
        } catch {
            #expect(
                error.reason
                    == .network("SSH session with 127.0.0.1:\(listener.port) not ready within 1.0 s"))
            #expect(error.operation == "connect")
            #expect(error.attempts == 2)
        }
        // Two 1 s connect timeouts, not the 60 s request timeout (generous for a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(45))
    }

    /// sshd closes the descriptors it inherits; started through Foundation's `Process`, it
    /// would hold Foundation's one process-monitor thread for as long as it runs, and no other
    /// `Process` in the test binary would be seen to end (the full test run deadlocked so).
    @Test func runningServerDoesNotHoldUpOtherTestsProcesses() async throws {
        let server = try await SSHServerFixture()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!process.isRunning)
        #expect(canConnect(port: server.port))
    }

    @Test func unreadablePrivateKeyIsAConfigurationErrorNamingTheField() {
        #expect(throws: StorageConfigurationError.self) {
            try SFTPStorage(
                host: "h", username: "u", authentication: .privateKey("not a key"))
        }
    }
}

/// A loopback TCP port whose connections the kernel accepts but nobody ever answers.
final class SilentListener: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServerError(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard listening else {
            close(descriptor)
            throw TestServerError(description: "listen failed")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
