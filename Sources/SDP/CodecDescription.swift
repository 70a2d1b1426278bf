/// One payload type of a media section with everything the description says about it,
/// gathered from the m= format list, `a=rtpmap`, `a=fmtp` and `a=rtcp-fb`.
public struct CodecDescription: Equatable, Hashable, Sendable {
    public var payloadType: UInt8
    /// As written (`VP8`, `H264`, `opus`, `rtx`); compare case-insensitively.
    public var name: String
    public var clockRate: UInt32
    public var channels: UInt8?
    /// The `a=fmtp` parameters, e.g. `packetization-mode=1`, `apt=96`.
    public var parameters: [FormatParameter]
    /// The `a=rtcp-fb` lines for this payload type and the ones written for `*`.
    public var feedback: [RTCPFeedback]

    public init(
        payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt8? = nil,
        parameters: [FormatParameter] = [], feedback: [RTCPFeedback] = []
    ) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.feedback = feedback
    }

    /// Whether this payload type carries retransmissions (RFC 4588) of another one.
    public var isRetransmission: Bool { name.lowercased() == "rtx" }

    /// For RTX: the payload type it retransmits (`apt=`).
    public var associatedPayloadType: UInt8? {
        parameters.value(of: "apt").flatMap { RTPMap.payloadType(Substring($0)) }
    }

    /// The static payload types of RFC 3551 section 6 that need no `a=rtpmap`.
    static func staticPayloadType(_ payloadType: UInt8) -> RTPMap? {
        let entry: (String, UInt32)? =
            switch payloadType {
            case 0: ("PCMU", 8000)
            case 3: ("GSM", 8000)
            case 4: ("G723", 8000)
            case 8: ("PCMA", 8000)
            case 9: ("G722", 8000)
            case 13: ("CN", 8000)
            case 18: ("G729", 8000)
            case 26: ("JPEG", 90000)
            case 31: ("H261", 90000)
            case 34: ("H263", 90000)
            default: nil
            }
        return entry.map { RTPMap(payloadType: payloadType, encodingName: $0.0, clockRate: $0.1) }
    }
}
