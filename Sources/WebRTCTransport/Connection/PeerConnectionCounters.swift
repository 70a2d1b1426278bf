/// What a `PeerConnection` received, sent and dropped. Every dropped datagram lands in one
/// of these counters.
public struct PeerConnectionCounters: Sendable, Equatable {
    public var datagramsReceived = 0
    public var bytesReceived = 0
    public var stunDatagrams = 0
    public var dtlsDatagrams = 0
    /// SRTP packets that decrypted into RTP, and their datagram bytes.
    public var rtpPackets = 0
    public var rtpBytes = 0
    /// SRTCP packets that decrypted.
    public var rtcpPackets = 0
    /// SRTP or SRTCP packets whose authentication tag did not verify.
    public var srtpAuthenticationFailures = 0
    /// SRTP or SRTCP packets replayed or older than the replay window.
    public var srtpReplays = 0
    /// Datagrams of no protocol in use here, malformed ones, and media before the keys.
    public var garbageDatagrams = 0
    public var datagramsSent = 0
    /// Errors the socket reported (they end no connection).
    public var socketErrors = 0
    /// Receiver reports, generic NACK messages (and the sequence numbers they name), PLIs.
    public var receiverReportsSent = 0
    public var nacksSent = 0
    public var nackedPackets = 0
    public var plisSent = 0
    /// Outgoing RTCP that libsrtp refused to protect (not sent).
    public var rtcpProtectFailures = 0
    public var framesDelivered = 0
    /// Frames dropped because the consumer fell `frameQueueCapacity` frames behind.
    public var framesDroppedByConsumer = 0
    /// Routing, RTX restoration (`retransmissionsReceived`) and stream restarts.
    public var routing = TrackRouter.Counters()

    public init() {}

    public var retransmissionsReceived: Int { routing.retransmissionsReceived }
}
