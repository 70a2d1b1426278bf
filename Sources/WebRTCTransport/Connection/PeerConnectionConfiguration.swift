import RTP
import SDP

/// Local settings of a `PeerConnection`.
public struct PeerConnectionConfiguration: Sendable {
    /// The IP literal the UDP socket binds to. It is also the host candidate, so the peer must
    /// reach it; the wildcard address (`0.0.0.0`, `::`) offers every non-loopback interface
    /// address of its family instead (IPv6 link-local ones excepted).
    public var bindAddress: String
    /// The first free port of this range is bound.
    public var ports: ClosedRange<UInt16>
    /// Codecs accepted in the answer, most preferred first.
    public var codecs: [SupportedCodec] = SupportedCodec.defaults
    public var jitterBuffer = JitterBuffer.Configuration()
    public var dtls = DTLSConfiguration()
    /// The DTLS certificate; a new ECDSA P-256 one per connection when nil.
    public var certificate: DTLSCertificate?
    /// A STUN server that tells us the address our socket has beyond a NAT: a server-reflexive
    /// candidate, trickled on `events` (`localCandidate`, then `endOfLocalCandidates`).
    /// Ignored when its address family differs from the bind address's.
    public var stunServer: TransportAddress?
    /// How long to wait for the STUN server's response before going on without it.
    public var stunTimeout: Duration = .seconds(3)
    /// No candidate pair selected within this time fails the connection.
    public var iceConnectTimeout: Duration = .seconds(30)
    /// RFC 3550 receiver reports about this often.
    public var receiverReportInterval: Duration = .seconds(1)
    /// How often timers run: ICE and DTLS retransmissions, NACK and PLI decisions, frames
    /// released after a wait.
    public var tickInterval: Duration = .milliseconds(10)
    /// Frames queued for a slow consumer before the oldest are dropped (and counted).
    public var frameQueueCapacity = 4096
    /// The socket's receive buffer (SO_RCVBUF), so a keyframe burst is not lost in the kernel.
    public var socketReceiveBufferSize = 1 << 20

    public init(bindAddress: String, ports: ClosedRange<UInt16>) {
        self.bindAddress = bindAddress
        self.ports = ports
    }
}
