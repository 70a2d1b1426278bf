/// Goodbye, packet type 203 (RFC 3550 section 6.6).
/// ```
/// |V=2|P|    SC   |   PT=BYE=203  |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SSRC/CSRC                           |  (SC times)
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |     length    |               reason for leaving            ...  (optional)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct Goodbye: RTCPMessage {
    static let packetType: UInt8 = 203

    public var sources: [UInt32]
    public var reason: [UInt8]

    public init(sources: [UInt32], reason: [UInt8] = []) {
        precondition(sources.count < 32, "a BYE packet names at most 31 sources")
        precondition(reason.count < 256, "a BYE reason is at most 255 bytes")
        self.sources = sources
        self.reason = reason
    }

    var headerCount: UInt8 { UInt8(sources.count) }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        sources = []
        for _ in 0..<count { sources.append(try body.readUInt32("BYE SSRC")) }
        if body.remaining > 0 {
            let length = try body.readUInt8("BYE reason length")
            reason = try body.readBytes(Int(length), "BYE reason")
        } else {
            reason = []
        }
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        for source in sources { bytes.appendBigEndian(source) }
        if !reason.isEmpty {
            bytes.append(UInt8(reason.count))
            bytes += reason
        }
        return bytes
    }
}
