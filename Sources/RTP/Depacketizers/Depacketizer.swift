import MediaTypes

/// The seam between the jitter buffer, which knows packets and sequence numbers, and a codec's
/// RTP payload format, which knows where frames begin and how their bytes fit together.
public protocol Depacketizer: Sendable {
    var codec: Codec { get }
    /// RTP timestamp units per second.
    var clockRate: Int64 { get }
    /// Whether the payload says that `packet` is the first of a frame. This lets the jitter
    /// buffer find frame boundaries even when the packet before was lost.
    func startsFrame(_ packet: RTPPacket) -> Bool
    /// Whether `packet` is the last of its frame.
    func endsFrame(_ packet: RTPPacket) -> Bool
    /// The frame's bitstream, from all its packets in sequence order.
    mutating func assemble(_ packets: [RTPPacket]) throws(RTPParseError) -> DepacketizedFrame
}

public struct DepacketizedFrame: Sendable, Equatable {
    public var data: [UInt8]
    /// Decodable without any earlier frame.
    public var isKeyframe: Bool

    public init(data: [UInt8], isKeyframe: Bool) {
        self.data = data
        self.isKeyframe = isKeyframe
    }
}

/// The depacketizer for a codec received over RTP, or nil for codecs Tessera only produces.
public func makeDepacketizer(for codec: Codec) -> (any Depacketizer)? {
    switch codec {
    case .vp8: return VP8Depacketizer()
    case .h264: return H264Depacketizer()
    case .opus: return OpusDepacketizer()
    case .aac, .mp3: return nil
    }
}
