import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import Synchronization

/// One SSH connection with an SFTP session on it, ready for requests.
final class SFTPConnection: Sendable {
    let extensions: [String]
    private let parent: any Channel
    private let session: any Channel

    private init(parent: any Channel, session: any Channel, extensions: [String]) {
        self.parent = parent
        self.session = session
        self.extensions = extensions
    }

    struct Settings: Sendable {
        var host: String
        var port: Int
        var username: String
        var credential: SFTPCredential
        /// `SHA256:…` as `ssh-keygen -lf` prints it; `nil` accepts any key and logs it.
        var expectedHostKeyFingerprint: String?
        var connectTimeout: TimeAmount
        var requestTimeout: TimeAmount
    }

    /// Connects, authenticates and starts the `sftp` subsystem, all within
    /// `settings.connectTimeout`.
    static func open(
        _ settings: Settings, group: any EventLoopGroup, logger: Logger
    ) async throws(SFTPFailure) -> SFTPConnection {
        let authentication = SSHClientAuthentication(
            username: settings.username, credential: settings.credential)
        let hostKeys = SSHHostKeyCheck(
            expected: settings.expectedHostKeyFingerprint, host: settings.host, logger: logger)
        let deadline = NIODeadline.now() + settings.connectTimeout
        let parent: any Channel
        do {
            parent = try await ClientBootstrap(group: group)
                .connectTimeout(settings.connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSHHandler(
                                role: .client(
                                    .init(userAuthDelegate: authentication, serverAuthDelegate: hostKeys)),
                                allocator: channel.allocator, inboundChildChannelInitializer: nil))
                        try channel.pipeline.syncOperations.addHandler(CloseOnError())
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw .network("connect to \(settings.host):\(settings.port): \(error)")
        }
        // Bounds the handshake, authentication and subsystem start: closing the connection
        // fails whatever is still waiting on it.
        let timedOut = Mutex(false)
        let expiry = parent.eventLoop.scheduleTask(deadline: deadline) {
            timedOut.withLock { $0 = true }
            parent.close(promise: nil)
        }
        defer { expiry.cancel() }
        do {
            let session = try await Self.closingOnCancel(parent) {
                try await parent.eventLoop.flatSubmit { () -> EventLoopFuture<any Channel> in
                    let channelPromise = parent.eventLoop.makePromise(of: (any Channel).self)
                    let ready = parent.eventLoop.makePromise(of: Void.self)
                    do {
                        let ssh = try parent.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                        ssh.createChannel(channelPromise, channelType: .session) { child, _ in
                            child.eventLoop.makeCompletedFuture {
                                try child.pipeline.syncOperations.addHandler(
                                    SFTPChannelHandler(
                                        subsystemReady: ready, requestTimeout: settings.requestTimeout))
                            }
                        }
                    } catch {
                        channelPromise.fail(error)
                        ready.fail(error)
                    }
                    // The handler completes `ready` once it exists; if the channel never opens, it
                    // never will.
                    channelPromise.futureResult.whenFailure { ready.fail($0) }
                    return channelPromise.futureResult.flatMap { child in
                        ready.futureResult.map { child }
                    }
                }.get()
            }
            let answer = try await Self.closingOnCancel(parent) {
                try await submit(.initialize(version: 3), on: session).get()
            }
            guard case .version(let version, let extensions) = answer else {
                parent.close(promise: nil)
                throw SFTPFailure.protocolViolation("the server answered INIT without VERSION")
            }
            guard version >= 3 else {
                parent.close(promise: nil)
                throw SFTPFailure.protocolViolation("the server speaks SFTP version \(version), not 3")
            }
            return SFTPConnection(parent: parent, session: session, extensions: extensions)
        } catch {
            parent.close(promise: nil)
            if let failure = error as? SFTPFailure { throw failure }
            if let mismatch = hostKeys.mismatch { throw mismatch }
            if authentication.rejected { throw .authenticationRejected }
            if timedOut.withLock({ $0 }) {
                throw .network(
                    "SSH session with \(settings.host):\(settings.port) not ready within "
                        + "\(Double(settings.connectTimeout.nanoseconds) / 1e9) s")
            }
            throw .network("SSH session with \(settings.host):\(settings.port): \(error)")
        }
    }

    /// Sends one request and waits for its response; a network failure closes the connection.
    func send(_ request: SFTPRequest) async throws(SFTPFailure) -> SFTPResponse {
        try await response(to: request, sendWithoutWaiting(request))
    }

    /// Sends one request without waiting, so several can be in flight; `response(to:_:)`
    /// waits for the answer.
    func sendWithoutWaiting(_ request: SFTPRequest) -> EventLoopFuture<SFTPResponse> {
        Self.submit(request, on: session)
    }

    /// Hands a request to the session's `SFTPChannelHandler`; a write that fails before
    /// reaching it (the channel closed) fails the response too.
    private static func submit(_ request: SFTPRequest, on session: any Channel)
        -> EventLoopFuture<SFTPResponse>
    {
        let response = session.eventLoop.makePromise(of: SFTPResponse.self)
        let written = session.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { response.fail($0) }
        session.writeAndFlush(SFTPRequestEnvelope(request: request, promise: response), promise: written)
        return response.futureResult
    }

    /// Waits for a response; cancelling the task closes the connection, which fails every
    /// request in flight.
    func response(to request: SFTPRequest, _ future: EventLoopFuture<SFTPResponse>)
        async throws(SFTPFailure) -> SFTPResponse
    {
        do {
            return try await Self.closingOnCancel(parent) { try await future.get() }
        } catch let failure as SFTPChannelFailure {
            if case .malformed(let text) = failure { throw .protocolViolation(text) }
            throw .network("\(request.name): \(failure)")
        } catch {
            throw .network("\(request.name): \(error)")
        }
    }

    /// Sends a request whose only good answer is STATUS OK.
    func expectOK(_ request: SFTPRequest) async throws(SFTPFailure) {
        try Self.checkOK(try await send(request), request: request)
    }

    static func checkOK(_ response: SFTPResponse, request: SFTPRequest) throws(SFTPFailure) {
        guard case .status(_, let code, let message) = response else {
            throw .protocolViolation("\(request.name) answered with \(response), expected STATUS")
        }
        guard code == SFTPStatusCode.ok else {
            throw .status(request: request.name, code: code, message: message)
        }
    }

    func close() async {
        try? await parent.close().get()
    }

    /// NIO futures ignore task cancellation; closing the connection completes them.
    private static func closingOnCancel<Value>(
        _ connection: any Channel, _ operation: () async throws -> Value
    ) async throws -> Value {
        try await withTaskCancellationHandler(operation: operation) {
            connection.close(promise: nil)
        }
    }
}

/// Ends the connection on any error the SSH handler passes on (a failed handshake, rejected
/// credentials): otherwise the connection would stay open and the attempt wait for its timeout.
private final class CloseOnError: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
