/// A codec the local side can receive. An offered payload type is accepted when its media
/// kind, name, clock rate, channel count and required parameters all match.
public struct SupportedCodec: Equatable, Hashable, Sendable {
    public var kind: MediaKind
    public var name: String
    public var clockRate: UInt32
    /// The channel count the offer must name (absent means 1); nil accepts any.
    public var channels: UInt8?
    /// Format parameters the offer must carry with exactly these values.
    public var requiredParameters: [FormatParameter]

    public init(
        kind: MediaKind, name: String, clockRate: UInt32, channels: UInt8? = nil,
        requiredParameters: [FormatParameter] = []
    ) {
        self.kind = kind
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.requiredParameters = requiredParameters
    }

    public static let vp8 = SupportedCodec(kind: .video, name: "VP8", clockRate: 90000)
    /// H.264 in non-interleaved mode (RFC 6184): FU-A and STAP-A; mode 0 (the default when
    /// the parameter is absent) sends single NAL units only and is not what browsers expect.
    public static let h264PacketizationMode1 = SupportedCodec(
        kind: .video, name: "H264", clockRate: 90000,
        requiredParameters: [FormatParameter(name: "packetization-mode", value: "1")])
    public static let opus = SupportedCodec(kind: .audio, name: "opus", clockRate: 48000, channels: 2)

    public static let defaults: [SupportedCodec] = [.vp8, .h264PacketizationMode1, .opus]

    public func accepts(_ codec: CodecDescription, in kind: MediaKind) -> Bool {
        guard kind == self.kind, codec.name.lowercased() == name.lowercased(), codec.clockRate == clockRate
        else { return false }
        if let channels, (codec.channels ?? 1) != channels { return false }
        return requiredParameters.allSatisfy { required in
            codec.parameters.value(of: required.name) == required.value
        }
    }
}
