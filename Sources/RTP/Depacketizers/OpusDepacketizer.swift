import MediaTypes

/// Opus over RTP (RFC 7587): the payload is exactly one Opus packet, so every RTP packet is a
/// frame on its own and every frame decodes independently. The RTP clock is always 48 kHz.
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  TOC byte     |  Opus frame data (RFC 6716) ...               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct OpusDepacketizer: Depacketizer {
    public init() {}

    public var codec: Codec { .opus }
    public var clockRate: Int64 { 48_000 }

    public func startsFrame(_ packet: RTPPacket) -> Bool { true }
    public func endsFrame(_ packet: RTPPacket) -> Bool { true }

    public mutating func assemble(_ packets: [RTPPacket]) throws(RTPParseError) -> DepacketizedFrame {
        guard packets.count == 1, let packet = packets.first else {
            throw .invalidValue(field: "Opus frame", offset: 0, reason: "\(packets.count) packets; Opus sends one per frame")
        }
        guard !packet.payload.isEmpty else {
            throw .truncated(field: "Opus TOC byte", offset: 0, needed: 1, available: 0)
        }
        return DepacketizedFrame(data: packet.payload, isKeyframe: true)
    }
}
