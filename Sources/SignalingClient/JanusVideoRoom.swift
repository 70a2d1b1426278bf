import Logging
import NIOCore
import NIOPosix

/// The bot in a Janus VideoRoom (Janus's WebSocket API, subprotocol `janus-protocol`): a hidden
/// participant subscribed to every publisher over one PeerConnection.
public final class JanusVideoRoom: MeetingSignaling {
    public let events: AsyncStream<SignalingEvent>
    private let driver: VideoRoomDriver

    /// `group` runs the WebSocket.
    public init(
        configuration: JanusVideoRoomConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "tessera.signaling.janus")
    ) {
        let (events, sink) = AsyncStream.makeStream(of: SignalingEvent.self)
        self.events = events
        driver = VideoRoomDriver(configuration: configuration, group: group, events: sink, logger: logger)
    }

    /// A room dropped without `leave()` still leaves, in the background.
    deinit {
        let driver = self.driver
        Task { await driver.leave() }
    }

    /// After a failure nothing stays open (the session is destroyed, the socket closed), and
    /// the event stream has ended.
    public func join() async throws {
        try await driver.join()
    }

    public func answer(sdp: String) async throws {
        try await driver.answer(sdp: sdp)
    }

    public func trickle(candidate: String, sdpMid: String?, sdpMLineIndex: Int?) async throws {
        try await driver.trickle(TrickleCandidate(candidate: candidate, sdpMid: sdpMid, sdpMLineIndex: sdpMLineIndex))
    }

    public func endOfCandidates() async throws {
        try await driver.trickle(TrickleCandidate(completed: true))
    }

    public func leave() async {
        await driver.leave()
    }

    /// What the session ignored or dropped so far.
    public func counters() async -> SignalingCounters {
        await driver.counters
    }
}
