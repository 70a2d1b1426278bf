// RFC 8866 section 6.6:
//   rtpmap-value = payload-type SP encoding-name "/" clock-rate ["/" encoding-params]

/// An `a=rtpmap` line: what a dynamic payload type carries.
public struct RTPMap: Equatable, Hashable, Sendable {
    public var payloadType: UInt8
    /// As written (`VP8`, `H264`, `opus`, `rtx`); compare case-insensitively.
    public var encodingName: String
    public var clockRate: UInt32
    /// Audio channel count; nil when not written (meaning one channel for audio).
    public var channels: UInt8?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt8? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 2, let payloadType = RTPMap.payloadType(fields[0]) else { return nil }
        let parts = SDPText.split(fields[1], separator: "/")
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty,
            let clockRate = UInt32(parts[1])
        else { return nil }
        var channels: UInt8?
        if parts.count == 3 {
            guard let count = UInt8(parts[2]) else { return nil }
            channels = count
        }
        self.init(payloadType: payloadType, encodingName: String(parts[0]), clockRate: clockRate, channels: channels)
    }

    var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { text += "/\(channels)" }
        return text
    }

    /// An RTP payload type: 0...127 (the marker bit takes the eighth bit).
    static func payloadType(_ text: Substring) -> UInt8? {
        guard let value = UInt8(text), value < 128 else { return nil }
        return value
    }
}

/// An `a=fmtp` line: the format parameters of one payload type.
/// RFC 8866 section 6.15: fmtp-value = fmt SP format-specific-params
public struct FormatParameters: Equatable, Hashable, Sendable {
    public var payloadType: UInt8
    public var parameters: [FormatParameter]

    public init(payloadType: UInt8, parameters: [FormatParameter]) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    init?(attributeValue: Substring) {
        let (format, rest) = SDPText.firstField(attributeValue)
        guard let payloadType = RTPMap.payloadType(format), let rest else { return nil }
        let parameters = FormatParameter.list(rest)
        guard !parameters.isEmpty else { return nil }
        self.init(payloadType: payloadType, parameters: parameters)
    }

    var attributeValue: String { "\(payloadType) \(FormatParameter.text(of: parameters))" }
}
