import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing

@testable import SignalingClient

/// `WebSocketConnection` against a scripted SwiftNIO WebSocket server on 127.0.0.1: the
/// handshake with the subprotocol, text both ways, a fragmented message, pings, the server
/// closing, and servers that refuse or never answer.
@Suite struct WebSocketConnectionTests {
    @Test(.timeLimit(.minutes(1))) func exchangesTextAndFollowsTheServersFrames() async throws {
        let server = try await WebSocketTestServer.start { ScriptedHandler(request: $0) }
        defer { server.stop() }
        let url = try WebSocketURL(parsing: "ws://127.0.0.1:\(server.port)/janus")
        let connection = try await WebSocketConnection.connect(to: url, subprotocol: "janus-protocol", timeout: .seconds(5))
        var inbound = connection.inbound.makeAsyncIterator()

        connection.send(text: "protocol")
        #expect(await inbound.next() == .text("GET /janus with janus-protocol"))
        connection.send(text: "echo {\"janus\":\"ack\"}")
        #expect(await inbound.next() == .text("{\"janus\":\"ack\"}"))
        // Three frames (text + 2 continuations) make one message.
        connection.send(text: "fragments")
        #expect(await inbound.next() == .text("one two three"))
        // The server pings; the client's pong comes back as text.
        connection.send(text: "ping")
        #expect(await inbound.next() == .text("pong 1234"))
        // A large message (an offer for many publishers) in one frame.
        connection.send(text: "large")
        #expect(await inbound.next() == .text(String(repeating: "a=x\r\n", count: 20_000)))
        connection.send(text: "close")
        #expect(await inbound.next() == .closed(reason: "the server closed the WebSocket (goingAway)"))
        #expect(await inbound.next() == nil)
    }

    @Test(.timeLimit(.minutes(1))) func closingWaitsForTheServer() async throws {
        let server = try await WebSocketTestServer.start { ScriptedHandler(request: $0) }
        defer { server.stop() }
        let url = try WebSocketURL(parsing: "ws://127.0.0.1:\(server.port)")
        let connection = try await WebSocketConnection.connect(to: url, subprotocol: "janus-protocol", timeout: .seconds(5))
        let clock = ContinuousClock()
        let start = clock.now
        // The server's close answer ends it, well before the (long) timeout, even on a loaded machine.
        await connection.close(timeout: .seconds(60))
        #expect(clock.now - start < .seconds(30))
        var last: WebSocketConnection.Inbound?
        for await element in connection.inbound { last = element }
        guard case .closed = last else {
            Issue.record("expected closed, got \(String(describing: last))")
            return
        }
    }

    @Test(.timeLimit(.minutes(1))) func failsWithinTheTimeoutWhenNobodyAnswers() async throws {
        // A TCP listener that never answers the handshake.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: JanusError.self) {
            _ = try await WebSocketConnection.connect(
                to: try WebSocketURL(parsing: "ws://127.0.0.1:\(port)"), subprotocol: "janus-protocol", timeout: .seconds(1))
        }
        // Bounded by the timeout, not by TCP's own minutes (generous: the test machine is shared).
        #expect(clock.now - start < .seconds(20))

        // Nobody listens: the connection is refused at once.
        silent.close(promise: nil)
        try await silent.closeFuture.get()
        await #expect(throws: JanusError.self) {
            _ = try await WebSocketConnection.connect(
                to: try WebSocketURL(parsing: "ws://127.0.0.1:\(port)"), subprotocol: "janus-protocol", timeout: .seconds(1))
        }
    }
}

/// A WebSocket server on 127.0.0.1 (subprotocol echoed) whose connections get the handler
/// `makeHandler` makes from the request ("TARGET with SUBPROTOCOL"), on an event loop group of
/// its own that `stop()` shuts down.
struct WebSocketTestServer {
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(makeHandler: @escaping @Sendable (String) -> any ChannelHandler) async throws -> WebSocketTestServer {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 20,
            shouldUpgrade: { channel, head in
                var headers = HTTPHeaders()
                if let subprotocol = head.headers.first(name: "Sec-WebSocket-Protocol") {
                    headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
                }
                return channel.eventLoop.makeSucceededFuture(headers)
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    let request = "\(head.uri) with \(head.headers.first(name: "Sec-WebSocket-Protocol") ?? "none")"
                    try channel.pipeline.syncOperations.addHandler(makeHandler(request))
                }
            })
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return WebSocketTestServer(channel: channel, group: group)
    }

    func stop() {
        group.shutdownGracefully { _ in }
    }
}

/// Answers commands in text messages: `protocol` (which target and subprotocol the client
/// asked for), `echo X`, `fragments`, `ping`, `large`, `close`.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let request: String

    init(request: String) {
        self.request = request
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let text = String(buffer: frame.unmaskedData)
            if text == "protocol" {
                send(context, .text, "GET \(request)")
            } else if text.hasPrefix("echo ") {
                send(context, .text, String(text.dropFirst(5)))
            } else if text == "fragments" {
                send(context, .text, "one ", fin: false)
                send(context, .continuation, "two ", fin: false)
                send(context, .continuation, "three")
            } else if text == "ping" {
                send(context, .ping, "1234")
            } else if text == "large" {
                send(context, .text, String(repeating: "a=x\r\n", count: 20_000))
            } else if text == "close" {
                var code = context.channel.allocator.buffer(capacity: 2)
                code.write(webSocketErrorCode: .goingAway)
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)), promise: nil)
            }
        case .pong:
            send(context, .text, "pong \(String(buffer: frame.unmaskedData))")
        case .connectionClose:
            context.writeAndFlush(
                wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)), promise: nil)
            context.close(promise: nil)
        default:
            break
        }
    }

    private func send(_ context: ChannelHandlerContext, _ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) {
        let frame = WebSocketFrame(fin: fin, opcode: opcode, data: context.channel.allocator.buffer(string: text))
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}
