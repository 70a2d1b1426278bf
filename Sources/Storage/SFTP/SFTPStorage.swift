import Foundation
import Logging
import NIOCore
import NIOPosix

/// Uploads files over SFTP (SSH File Transfer Protocol version 3, e.g. OpenSSH's sftp-server).
///
/// The file is written under a hidden temporary name in the destination folder and renamed to
/// its key only once every byte is acknowledged and the remote size matches, so the final name
/// never holds a partial file. An attempt that fails on the network starts over with a fresh
/// connection and temporary name (SFTP uploads are not resumed); rejected credentials, a wrong
/// host key and error statuses such as permission denied fail at once. Keys are paths relative
/// to the login folder unless they start with `/`.
public struct SFTPStorage: Storage {
    public enum Authentication: Sendable {
        case password(String)
        /// The text of a private key file: OpenSSH format (unencrypted ed25519 or ECDSA
        /// P-256) or a PEM P-256 key.
        case privateKey(String)
    }

    public struct Options: Sendable {
        public var retry: RetryPolicy
        /// Bytes per WRITE request; 32 KiB is what every server accepts.
        public var writeSize: Int
        /// WRITE requests sent before waiting for the first acknowledgement.
        public var writesInFlight: Int
        public var connectTimeout: Duration
        /// How long any one request may go unanswered before the connection counts as dropped.
        public var requestTimeout: Duration

        public init(
            retry: RetryPolicy = RetryPolicy(), writeSize: Int = 32 << 10, writesInFlight: Int = 8,
            connectTimeout: Duration = .seconds(20), requestTimeout: Duration = .seconds(60)
        ) {
            self.retry = retry
            self.writeSize = min(max(1, writeSize), 32 << 10)
            self.writesInFlight = max(1, writesInFlight)
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
        }
    }

    let settings: SFTPConnection.Settings
    let options: Options
    let group: any EventLoopGroup
    let redactor: Redactor
    let logger: Logger

    /// `hostKeyFingerprint` pins the server's key (`SHA256:…`, as `ssh-keygen -lf` prints it);
    /// without it any key is accepted and its fingerprint logged. Throws if the private key
    /// cannot be read (the error names the field, never the key).
    public init(
        host: String, port: Int = 22, username: String, authentication: Authentication,
        hostKeyFingerprint: String? = nil, options: Options = Options(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "tessera.storage.sftp")
    ) throws(StorageConfigurationError) {
        guard !host.isEmpty else { throw StorageConfigurationError(field: "host", reason: "empty") }
        guard (1...65535).contains(port) else {
            throw StorageConfigurationError(field: "port", reason: "\(port) is not a TCP port")
        }
        guard !username.isEmpty else {
            throw StorageConfigurationError(field: "username", reason: "empty")
        }
        let credential: SFTPCredential
        switch authentication {
        case .password(let password):
            credential = .password(password)
            redactor = Redactor(secrets: [password])
        case .privateKey(let text):
            do {
                credential = .privateKey(try OpenSSHPrivateKey.parse(text))
            } catch {
                throw StorageConfigurationError(field: "private_key", reason: error.description)
            }
            redactor = Redactor(secrets: [text] + text.split(whereSeparator: \.isNewline).map(String.init))
        }
        settings = SFTPConnection.Settings(
            host: host, port: port, username: username, credential: credential,
            expectedHostKeyFingerprint: hostKeyFingerprint,
            connectTimeout: Self.timeAmount(options.connectTimeout),
            requestTimeout: Self.timeAmount(options.requestTimeout))
        self.options = options
        self.group = group
        self.logger = logger
    }

    public func upload(
        localPath: String, key: String, contentType: String?,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) -> StoredObject {
        let destination = "sftp://\(settings.username)@\(settings.host):\(settings.port)/\(key)"
        func failure(_ operation: String, _ reason: UploadError.Reason, attempts: Int) -> UploadError {
            UploadError(
                reason: reason, operation: operation, attempts: attempts, destination: destination,
                keptFile: localPath)
        }
        let parts = key.split(separator: "/", omittingEmptySubsequences: true)
        guard let name = parts.last, !parts.contains(".."), !parts.contains(".") else {
            throw failure("check key", .localFile("key \(key) is not a file path"), attempts: 1)
        }
        let size: Int64
        do { size = try LocalFile.info(localPath).size } catch {
            throw failure("stat", .localFile(error.description), attempts: 1)
        }
        let folder = (key.hasPrefix("/") ? "/" : "") + parts.dropLast().joined(separator: "/")
        let target = RemoteTarget(folder: folder, name: String(name))

        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            let operation: String
            let cause: SFTPFailure
            do {
                try Task.checkCancellation()
                let location = try await uploadOnce(localPath, size: size, to: target, progress: progress)
                logger.info(
                    "sftp upload complete",
                    metadata: ["destination": "\(destination)", "bytes": "\(size)", "attempts": "\(attempt)"])
                return StoredObject(
                    location: "sftp://\(settings.host):\(settings.port)\(location)", size: size)
            } catch let stepFailure as StepFailure {
                operation = stepFailure.step
                cause = stepFailure.cause
            } catch {
                throw failure("upload", .cancelled, attempts: attempt)
            }
            let reason = uploadReason(cause)
            let pause = options.retry.delay(
                afterAttempt: attempt, randomFraction: Double.random(in: 0...1))
            guard Self.isRetryable(cause), attempt < options.retry.maxAttempts,
                clock.now - start + pause <= options.retry.maxTotal
            else {
                logger.warning(
                    "sftp upload failed",
                    metadata: [
                        "destination": "\(destination)", "operation": "\(operation)",
                        "attempt": "\(attempt)", "reason": "\(reason)",
                    ])
                throw failure(operation, reason, attempts: attempt)
            }
            logger.info(
                "sftp upload will be retried",
                metadata: [
                    "destination": "\(destination)", "operation": "\(operation)",
                    "attempt": "\(attempt)", "reason": "\(reason)", "delay": "\(pause)",
                ])
            do { try await Task.sleep(for: pause) } catch {
                throw failure(operation, .cancelled, attempts: attempt)
            }
        }
    }

    struct RemoteTarget {
        /// Empty for the login folder.
        var folder: String
        var name: String

        func inFolder(_ name: String) -> String { folder.isEmpty ? name : "\(folder)/\(name)" }
        var path: String { inFolder(name) }
    }

    /// A failure and the step (`connect`, `WRITE at 65536`, …) it happened in.
    struct StepFailure: Error {
        var step: String
        var cause: SFTPFailure
    }

    /// One attempt over a new connection; returns the absolute remote path.
    private func uploadOnce(
        _ localPath: String, size: Int64, to target: RemoteTarget,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(StepFailure) -> String {
        let connection: SFTPConnection
        do {
            connection = try await SFTPConnection.open(settings, group: group, logger: logger)
        } catch {
            throw StepFailure(step: "connect", cause: error)
        }
        let temporary = target.inFolder(".\(target.name).\(UUID().uuidString).partial")
        var step = "MKDIR \(target.folder)"
        do throws(SFTPFailure) {
            try await makeFolders(target.folder, on: connection)
            step = "OPEN \(temporary)"
            try await write(localPath, size: size, to: temporary, on: connection, step: &step, progress: progress)
            step = "RENAME \(temporary) to \(target.path)"
            try await rename(temporary, to: target.path, on: connection)
            step = "REALPATH \(target.path)"
            let request = SFTPRequest.realPath(path: target.path)
            guard case .name(_, let names) = try await connection.send(request), let path = names.first else {
                throw .protocolViolation("REALPATH \(target.path) did not answer with a name")
            }
            await connection.close()
            progress(UploadProgress(bytesDone: size, totalBytes: size))
            return path
        } catch {
            // Best effort on a connection that still works; a dropped one left the hidden
            // temporary file behind, never a partial file under the final name.
            if case .network = error {} else {
                try? await connection.expectOK(.remove(path: temporary))
            }
            await connection.close()
            throw StepFailure(step: step, cause: error)
        }
    }

    /// Creates each missing folder of `folder`, parents first.
    private func makeFolders(_ folder: String, on connection: SFTPConnection) async throws(SFTPFailure) {
        var path = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            path += (path.isEmpty || path.hasSuffix("/") ? "" : "/") + component
            let stat = SFTPRequest.stat(path: path)
            switch try await connection.send(stat) {
            case .attributes:
                continue
            case .status(_, SFTPStatusCode.noSuchFile, _):
                try await connection.expectOK(.makeDirectory(path: path))
            case let other:
                try SFTPConnection.checkOK(other, request: stat)
            }
        }
    }

    /// Writes the whole file to `path` (created or truncated), keeping up to `writesInFlight`
    /// WRITE requests unanswered, then checks the remote size.
    private func write(
        _ localPath: String, size: Int64, to path: String, on connection: SFTPConnection,
        step: inout String, progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(SFTPFailure) {
        let open = SFTPRequest.open(
            path: path, flags: [.write, .create, .truncate], permissions: 0o644)
        let handle: [UInt8]
        switch try await connection.send(open) {
        case .handle(_, let value): handle = value
        case let other:
            try SFTPConnection.checkOK(other, request: open)
            throw .protocolViolation("OPEN \(path) answered without a handle")
        }
        let readSize = options.writeSize * options.writesInFlight * 4
        var block: [UInt8] = []
        var blockStart: Int64 = 0
        var sent: Int64 = 0
        var confirmed: Int64 = 0
        var inFlight: [(request: SFTPRequest, response: EventLoopFuture<SFTPResponse>, length: Int)] = []
        while sent < size || !inFlight.isEmpty {
            if sent < size, inFlight.count < options.writesInFlight {
                if sent - blockStart >= Int64(block.count) {
                    do {
                        block = Array(
                            try LocalFile.read(
                                localPath, offset: sent, length: Int(min(Int64(readSize), size - sent))))
                    } catch {
                        throw .localFile(error.description)
                    }
                    blockStart = sent
                    guard !block.isEmpty else { throw .localFile("\(localPath) shrank while being uploaded") }
                }
                let from = Int(sent - blockStart)
                let chunk = Array(block[from..<min(from + options.writeSize, block.count)])
                let request = SFTPRequest.write(handle: handle, offset: UInt64(sent), data: chunk)
                inFlight.append((request, connection.sendWithoutWaiting(request), chunk.count))
                sent += Int64(chunk.count)
            } else {
                let oldest = inFlight.removeFirst()
                step = oldest.request.name
                try SFTPConnection.checkOK(
                    try await connection.response(to: oldest.request, oldest.response),
                    request: oldest.request)
                confirmed += Int64(oldest.length)
                progress(UploadProgress(bytesDone: confirmed, totalBytes: size))
            }
        }
        step = "CLOSE \(path)"
        try await connection.expectOK(.close(handle: handle))
        step = "STAT \(path)"
        let stat = SFTPRequest.stat(path: path)
        switch try await connection.send(stat) {
        case .attributes(_, let remoteSize?) where remoteSize != UInt64(size):
            throw .protocolViolation("\(path) holds \(remoteSize) bytes after writing \(size)")
        case .attributes:
            break
        case let other:
            try SFTPConnection.checkOK(other, request: stat)
        }
    }

    /// Moves the finished file over the final name. OpenSSH's `posix-rename@openssh.com`
    /// replaces an existing file; plain SFTP v3 RENAME refuses to, so the old one is removed
    /// first.
    private func rename(_ temporary: String, to path: String, on connection: SFTPConnection)
        async throws(SFTPFailure)
    {
        if connection.extensions.contains("posix-rename@openssh.com") {
            try await connection.expectOK(.posixRename(from: temporary, to: path))
            return
        }
        let remove = SFTPRequest.remove(path: path)
        switch try await connection.send(remove) {
        case .status(_, SFTPStatusCode.noSuchFile, _): break
        case let other: try SFTPConnection.checkOK(other, request: remove)
        }
        try await connection.expectOK(.rename(from: temporary, to: path))
    }

    private func uploadReason(_ failure: SFTPFailure) -> UploadError.Reason {
        switch failure {
        case .network(let text): return .network(redactor.scrub(text))
        case .authenticationRejected:
            return .rejected(
                status: 401, code: "SSH_AUTH_FAILED",
                message: "the server rejected the credentials of user \(settings.username)")
        case .hostKeyMismatch:
            return .unexpectedResponse(failure.description)
        case .status(let request, let code, let message):
            let status: Int
            switch code {
            case SFTPStatusCode.noSuchFile: status = 404
            case SFTPStatusCode.permissionDenied: status = 403
            default: status = 500
            }
            return .rejected(
                status: status, code: SFTPStatusCode.name(code),
                message: redactor.scrub("\(request)" + (message.isEmpty ? "" : ": \(message)")))
        case .protocolViolation(let text): return .unexpectedResponse(redactor.scrub(text))
        case .localFile(let text): return .localFile(text)
        }
    }

    /// Only a lost connection is worth another attempt: an error status or rejected
    /// credentials would come back the same.
    static func isRetryable(_ failure: SFTPFailure) -> Bool {
        if case .network = failure { return true }
        return false
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
