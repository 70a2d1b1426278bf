import SDP

/// A participant of the meeting as its server names it.
public struct MeetingParticipant: Sendable, Hashable {
    /// The server's id for the participant (Janus: the publisher's feed id, as text).
    public var id: String
    public var displayName: String?

    public init(id: String, displayName: String? = nil) {
        self.id = id
        self.displayName = displayName
    }
}

/// One m-line of the offer the server sends the bot: whose track it carries.
public struct SubscribedStream: Sendable, Hashable {
    /// The m-line's `a=mid` in the offer.
    public var mid: String
    public var participant: MeetingParticipant
    /// `audio` or `video`.
    public var kind: String
    public var codec: String?
    /// False once the participant's track went away; its m-line is then `inactive`.
    public var active: Bool

    public init(mid: String, participant: MeetingParticipant, kind: String, codec: String?, active: Bool) {
        self.mid = mid
        self.participant = participant
        self.kind = kind
        self.codec = codec
        self.active = active
    }
}

/// A remote ICE candidate the server trickled, or the end of its candidates.
public enum TrickledCandidate: Sendable, Equatable {
    /// `sdpMid` can be missing (then `sdpMLineIndex` names the m-line).
    case candidate(ICECandidate, sdpMid: String?, sdpMLineIndex: Int?)
    case endOfCandidates
}

/// What happens in the meeting, in the order the server said it.
public enum SignalingEvent: Sendable, Equatable {
    /// A participant started publishing (roster).
    case participantJoined(MeetingParticipant)
    /// A participant stopped publishing or left.
    case participantLeft(id: String)
    /// The first offer and every renegotiation; answer each with `answer(sdp:)`.
    case offer(sdp: String, streams: [SubscribedStream])
    case remoteCandidate(TrickledCandidate)
    /// The server's side of the media connection is up.
    case mediaUp
    /// The server closed the media connection.
    case hangup(reason: String)
    /// The room was destroyed.
    case meetingEnded
    /// The connection to the server is gone; no more events follow.
    case disconnected(reason: String)
}

/// The meeting-server side of a recording bot: join as a hidden subscriber of every
/// participant, answer the server's offers, leave.
public protocol MeetingSignaling: Sendable {
    /// Every event of the session; finishes after `disconnected`, `leave()` or a failed `join()`.
    var events: AsyncStream<SignalingEvent> { get }
    /// Connects, joins the meeting and subscribes to every participant's media (now and as
    /// they arrive). Returns once the first offer is out (or at once in an empty meeting).
    func join() async throws
    /// Answers the latest offer. New participants are subscribed only once the pending offer
    /// is answered: the server renegotiates one offer at a time.
    func answer(sdp: String) async throws
    /// Trickles one local candidate (`candidate:...`).
    func trickle(candidate: String, sdpMid: String?, sdpMLineIndex: Int?) async throws
    func endOfCandidates() async throws
    /// Leaves the meeting and closes the connection, within a bounded time.
    func leave() async
}
