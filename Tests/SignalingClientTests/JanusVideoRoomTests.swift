import Foundation
import NIOCore
import NIOWebSocket
import SDP
import Synchronization
import Testing

@testable import SignalingClient

/// `JanusVideoRoom` over a real WebSocket against a fake Janus on 127.0.0.1 that answers with
/// the transcript's messages (and some garbage): the whole stack without root or Janus.
struct JanusVideoRoomTests {
    @Test(.timeLimit(.minutes(1))) func joinsAnswersKeepsAliveAndLeaves() async throws {
        let fake = FakeJanus()
        let server = try await WebSocketTestServer.start { _ in FakeJanusHandler(fake) }
        defer { server.stop() }
        var configuration = JanusVideoRoomConfiguration(
            url: "ws://127.0.0.1:\(server.port)", room: 1234, displayName: "recorder-bot")
        configuration.keepaliveInterval = .milliseconds(300)
        let room = JanusVideoRoom(configuration: configuration)
        try await room.join()
        try await room.answer(sdp: "v=0\r\n")
        try await room.endOfCandidates()
        // Two keepalives (300 ms apart) before leaving; polled, as a loaded machine may be slow.
        let deadline = ContinuousClock.now + .seconds(20)
        while fake.requests.filter({ $0 == "keepalive" }).count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        await room.leave()

        var events: [SignalingEvent] = []
        for await event in room.events { events.append(event) }
        let candidate = try ICECandidate(parsing: "candidate:1 1 udp 2015363583 127.0.0.1 20625 typ host")
        let sdp = JanusTranscript.offerSDP.replacingOccurrences(of: "\\r\\n", with: "\r\n")
        #expect(events == VideoRoomStateMachineTests.participants.map { .participantJoined($0) } + [
            .offer(sdp: sdp, streams: VideoRoomStateMachineTests.firstOfferStreams),
            .remoteCandidate(.candidate(candidate, sdpMid: "0", sdpMLineIndex: 0)),
            .mediaUp,
        ])
        let requests = fake.requests
        #expect(requests.filter { $0 != "keepalive" } == [
            "create", "attach", "join", "attach", "join", "start", "trickle", "leave", "leave", "detach", "detach", "destroy",
        ])
        #expect(requests.filter { $0 == "keepalive" }.count >= 2, "\(requests)")
        var counters = SignalingCounters()
        counters.malformedMessages = 1
        counters.unexpectedMessages = 1
        #expect(await room.counters() == counters)
    }

    @Test(.timeLimit(.minutes(1))) func timesOutAndReportsTheLostConnection() async throws {
        let fake = FakeJanus(ignoring: ["start"], closingOn: "trickle")
        let server = try await WebSocketTestServer.start { _ in FakeJanusHandler(fake) }
        defer { server.stop() }
        var configuration = JanusVideoRoomConfiguration(
            url: "ws://127.0.0.1:\(server.port)", room: 1234, displayName: "recorder-bot")
        // Long enough for the requests the fake answers on a loaded machine.
        configuration.requestTimeout = .seconds(10)
        let room = JanusVideoRoom(configuration: configuration)
        try await room.join()
        await #expect(throws: JanusError.timeout(request: "start", after: .seconds(10))) {
            try await room.answer(sdp: "v=0\r\n")
        }
        await #expect(throws: JanusError.self) { try await room.endOfCandidates() }
        var last: SignalingEvent?
        for await event in room.events { last = event }
        #expect(last == .disconnected(reason: "the connection closed"))
        // Nothing left to leave.
        await room.leave()
    }
}

/// What the fake Janus heard, and how it misbehaves.
final class FakeJanus: Sendable {
    let ignoring: Set<String>
    let closingOn: String?
    private let heard = Mutex<[String]>([])

    init(ignoring: Set<String> = [], closingOn: String? = nil) {
        self.ignoring = ignoring
        self.closingOn = closingOn
    }

    /// The requests in order (`message` requests by their plugin request).
    var requests: [String] { heard.withLock { $0 } }

    func heard(_ request: String) { heard.withLock { $0.append(request) } }
}

/// Replies to a subscriber's requests with the transcript's messages and the client's
/// transaction ids; after the `joined` reply it also sends invalid JSON and an unknown message.
private final class FakeJanusHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    typealias T = JanusTranscript

    private let fake: FakeJanus
    private var handles = [T.controlHandle, T.subscriberHandle]

    init(_ fake: FakeJanus) {
        self.fake = fake
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .text,
              let request = try? JSONSerialization.jsonObject(with: Data(String(buffer: frame.unmaskedData).utf8)) as? [String: Any],
              let janus = request["janus"] as? String, let transaction = request["transaction"] as? String
        else { return }
        let body = request["body"] as? [String: Any]
        let name = body?["request"] as? String ?? janus
        fake.heard(name)
        if name == fake.closingOn {
            context.close(promise: nil)
            return
        }
        guard !fake.ignoring.contains(name) else { return }
        let replies: [String]
        switch name {
        case "create":
            replies = [T.success(transaction, id: T.sessionID)]
        case "attach":
            replies = [T.success(transaction, id: handles.isEmpty ? 1 : handles.removeFirst())]
        case "join" where body?["ptype"] as? String == "publisher":
            replies = [T.ack(transaction), T.joined(transaction), "{\"janus\": ", #"{"janus":"surprise"}"#]
        case "join":
            replies = [T.ack(transaction), T.trickledCandidate, T.attached(transaction)]
        case "start":
            replies = [T.ack(transaction), T.started(transaction), T.webrtcUp]
        case "leave":
            replies = [T.ack(transaction), T.left(transaction, handle: request["handle_id"] as? UInt64 ?? 0)]
        case "detach", "destroy":
            replies = [T.plainSuccess(transaction)]
        default:
            replies = [T.ack(transaction)]
        }
        for reply in replies {
            let frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: reply))
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        }
    }
}
