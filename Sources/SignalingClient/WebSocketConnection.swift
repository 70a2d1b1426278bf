import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket client connection carrying text messages (RFC 6455 over SwiftNIO): connect with
/// a subprotocol, send text, receive text until the connection closes.
final class WebSocketConnection: Sendable {
    enum Inbound: Sendable, Equatable {
        case text(String)
        /// The last element: the connection is gone, and why.
        case closed(reason: String)
    }

    /// Largest message accepted: an offer for many publishers runs to tens of kilobytes.
    static let maxMessageSize = 1 << 22

    let inbound: AsyncStream<Inbound>
    private let channel: any Channel

    private init(channel: any Channel, inbound: AsyncStream<Inbound>) {
        self.channel = channel
        self.inbound = inbound
    }

    /// Opens the TCP connection and runs the upgrade handshake asking for `subprotocol`; both
    /// within `timeout`.
    static func connect(
        to url: WebSocketURL, subprotocol: String, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(JanusError) -> WebSocketConnection {
        let (inbound, sink) = AsyncStream.makeStream(of: Inbound.self)
        let connected: (any Channel, EventLoopFuture<Bool>)
        do {
            connected = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: url.host, port: url.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgraded = try configureUpgrade(
                            channel: channel, url: url, subprotocol: subprotocol, sink: sink)
                        return (channel, upgraded)
                    }
                }
        } catch {
            sink.finish()
            throw .connection(reason: "cannot connect to \(url.host):\(url.port): \(error)")
        }
        let (channel, upgraded) = connected
        // A server that never answers the handshake: closing the channel fails the upgrade.
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        let accepted: Bool
        do {
            accepted = try await upgraded.get()
        } catch {
            channel.close(promise: nil)
            sink.finish()
            throw .connection(reason: "WebSocket handshake with \(url.hostHeader) failed: \(error)")
        }
        guard accepted else {
            try? await channel.close()
            sink.finish()
            throw .connection(reason: "\(url.hostHeader) refused the WebSocket upgrade")
        }
        return WebSocketConnection(channel: channel, inbound: inbound)
    }

    private static func configureUpgrade(
        channel: any Channel, url: WebSocketURL, subprotocol: String, sink: AsyncStream<Inbound>.Continuation
    ) throws -> EventLoopFuture<Bool> {
        let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: maxMessageSize) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                        maxAccumulatedFrameSize: maxMessageSize),
                    TextMessageHandler(sink: sink))
                return true
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.hostHeader)
        headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target, headers: headers)
        let configuration = NIOTypedHTTPClientUpgradeConfiguration(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { false } })
        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
            configuration: .init(upgradeConfiguration: configuration))
    }

    /// Queues one text message; a failed write closes the connection, which `inbound` reports.
    func send(text: String) {
        let frame = WebSocketFrame(
            fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(string: text))
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Sends a close frame and waits up to `timeout` for the server to close, then closes.
    func close(timeout: Duration) async {
        var code = channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: .normalClosure)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: code)
        channel.writeAndFlush(frame, promise: nil)
        let channel = self.channel
        let forced = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { channel.close(promise: nil) }
        try? await channel.closeFuture.get()
        forced.cancel()
    }
}

/// Hands text messages to the stream, answers pings and close frames, and reports the end of
/// the connection.
private final class TextMessageHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let sink: AsyncStream<WebSocketConnection.Inbound>.Continuation
    private var closeReason: String?
    /// Our close frame went out: the server's close is the reply, not to be answered.
    private var sentClose = false

    init(sink: AsyncStream<WebSocketConnection.Inbound>.Continuation) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            sink.yield(.text(String(buffer: frame.unmaskedData)))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode().map { "\($0)" } ?? "no code"
            closeReason = closeReason ?? "the server closed the WebSocket (\(code))"
            // Answer the close (RFC 6455 section 5.5.1), then drop the connection.
            if !sentClose {
                sentClose = true
                let reply = WebSocketFrame(
                    fin: true, opcode: .connectionClose, maskKey: .random(), data: context.channel.allocator.buffer(capacity: 0))
                context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            }
            context.close(promise: nil)
        default:
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if unwrapOutboundIn(data).opcode == .connectionClose { sentClose = true }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.yield(.closed(reason: closeReason ?? "the connection closed"))
        sink.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closeReason = closeReason ?? "WebSocket error: \(error)"
        context.close(promise: nil)
    }
}
