// RFC 4585 section 4.2:
//   rtcp-fb-syntax = "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val
//   rtcp-fb-pt     = "*" / fmt
//   rtcp-fb-val    = "ack" rtcp-fb-ack-param / "nack" rtcp-fb-nack-param
//                  / "trr-int" SP 1*DIGIT / rtcp-fb-id rtcp-fb-param
// e.g. "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:* transport-cc".

/// An `a=rtcp-fb` line: an RTCP feedback message the writer understands for a payload type.
public struct RTCPFeedback: Equatable, Hashable, Sendable {
    /// nil for `*`: the feedback applies to every payload type of the media section.
    public var payloadType: UInt8?
    /// `nack`, `ccm`, `goog-remb`, `transport-cc`, ...
    public var type: String
    /// `pli` for `nack pli`, `fir` for `ccm fir`; nil for plain `nack`.
    public var parameter: String?

    public init(payloadType: UInt8?, type: String, parameter: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.parameter = parameter
    }

    init?(attributeValue: Substring) {
        let (format, value) = SDPText.firstField(attributeValue)
        guard let value else { return nil }
        if format == "*" {
            payloadType = nil
        } else {
            guard let payloadType = RTPMap.payloadType(format) else { return nil }
            self.payloadType = payloadType
        }
        let (type, parameter) = SDPText.firstField(value)
        self.type = String(type)
        self.parameter = parameter.map(String.init)
    }

    /// Whether this is the same kind of feedback as `other`, whatever payload type either names.
    public func isSameMessage(as other: RTCPFeedback) -> Bool {
        type.lowercased() == other.type.lowercased() && parameter?.lowercased() == other.parameter?.lowercased()
    }

    var attributeValue: String {
        var text = payloadType.map(String.init) ?? "*"
        text += " " + type
        if let parameter { text += " " + parameter }
        return text
    }
}
