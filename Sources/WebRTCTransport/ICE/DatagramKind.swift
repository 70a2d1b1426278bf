/// What arrived on the one bundled UDP socket, by its first byte (RFC 7983 section 7):
///
///                  +----------------+
///                  |        [0..3] -+--> STUN
///                  |      [16..19] -+--> ZRTP
///   packet -->     |      [20..63] -+--> DTLS
///                  |      [64..79] -+--> TURN channel
///                  |    [128..191] -+--> RTP/RTCP
///                  +----------------+
public enum DatagramKind: Sendable, Hashable {
    case stun
    case zrtp
    case dtls
    case turnChannel
    /// RTP or RTCP (SRTP/SRTCP once keyed); RFC 5761 tells the two apart by payload type.
    case rtpOrRTCP
    /// Empty, or a first byte no protocol on this socket uses: drop it.
    case unknown

    public init(classifying datagram: [UInt8]) {
        guard let first = datagram.first else {
            self = .unknown
            return
        }
        switch first {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case 128...191: self = .rtpOrRTCP
        default: self = .unknown
        }
    }
}
