/// One RTP packet (RFC 3550 section 5.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |  (if X)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 header extension (length words)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 payload ...   | padding ... | padding count   |  (padding if P)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct RTPPacket: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    /// Empty when the X bit is clear.
    public var extensions: RTPHeaderExtensions
    public var payload: [UInt8]
    /// Padding bytes after the payload, counting the final count byte; 0 = no padding.
    public var paddingLength: UInt8

    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        marker: Bool = false,
        payload: [UInt8] = [],
        csrcs: [UInt32] = [],
        extensions: RTPHeaderExtensions = RTPHeaderExtensions(),
        paddingLength: UInt8 = 0
    ) {
        precondition(payloadType < 128, "RTP payload type is 7 bits, got \(payloadType)")
        precondition(csrcs.count < 16, "RTP carries at most 15 CSRCs, got \(csrcs.count)")
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.payload = payload
        self.paddingLength = paddingLength
    }

    public init(bytes: [UInt8]) throws(RTPParseError) {
        var reader = ByteReader(bytes)
        let first = try reader.readUInt8("RTP first byte")
        guard first >> 6 == 2 else { throw .unsupportedVersion(found: first >> 6) }
        let hasPadding = first & 0x20 != 0
        let hasExtension = first & 0x10 != 0
        let csrcCount = Int(first & 0x0F)
        let second = try reader.readUInt8("RTP marker and payload type")
        marker = second & 0x80 != 0
        payloadType = second & 0x7F
        sequenceNumber = try reader.readUInt16("RTP sequence number")
        timestamp = try reader.readUInt32("RTP timestamp")
        ssrc = try reader.readUInt32("RTP SSRC")
        var csrcs: [UInt32] = []
        for _ in 0..<csrcCount { csrcs.append(try reader.readUInt32("RTP CSRC")) }
        self.csrcs = csrcs
        if hasExtension {
            let profile = try reader.readUInt16("RTP header extension profile")
            let words = Int(try reader.readUInt16("RTP header extension length"))
            let dataOffset = reader.offset
            let data = try reader.readBytes(words * 4, "RTP header extension data")
            extensions = try RTPHeaderExtensions(profile: profile, data: data, offset: dataOffset)
        } else {
            extensions = RTPHeaderExtensions()
        }
        var payloadEnd = bytes.count
        if hasPadding {
            let countOffset = bytes.count - 1
            guard countOffset >= reader.offset, let count = bytes.last else {
                throw .truncated(field: "RTP padding count", offset: reader.offset, needed: 1, available: 0)
            }
            guard count > 0, Int(count) <= bytes.count - reader.offset else {
                throw .invalidValue(
                    field: "RTP padding count", offset: countOffset,
                    reason: "\(count) padding bytes with \(bytes.count - reader.offset) bytes after the header")
            }
            paddingLength = count
            payloadEnd -= Int(count)
        } else {
            paddingLength = 0
        }
        payload = Array(bytes[reader.offset..<payloadEnd])
    }

    public func serialized() -> [UInt8] {
        let extensionBytes = extensions.serialized()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12 + 4 * csrcs.count + extensionBytes.count + payload.count + Int(paddingLength))
        let paddingBit: UInt8 = paddingLength > 0 ? 0x20 : 0
        let extensionBit: UInt8 = extensionBytes.isEmpty ? 0 : 0x10
        bytes.append(0x80 | paddingBit | extensionBit | UInt8(csrcs.count & 0x0F))
        bytes.append((marker ? 0x80 : 0) | payloadType & 0x7F)
        bytes.appendBigEndian(sequenceNumber)
        bytes.appendBigEndian(timestamp)
        bytes.appendBigEndian(ssrc)
        for csrc in csrcs { bytes.appendBigEndian(csrc) }
        bytes += extensionBytes
        bytes += payload
        if paddingLength > 0 {
            bytes += [UInt8](repeating: 0, count: Int(paddingLength) - 1)
            bytes.append(paddingLength)
        }
        return bytes
    }

    /// Whether a datagram on a port shared by RTP and RTCP is RTCP (RFC 5761 section 4): the
    /// second byte of RTCP is a packet type in 192...223, which as an RTP marker bit plus
    /// payload type would fall in the range 64...95 that RTP avoids.
    public static func isRTCP(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        return (192...223).contains(bytes[1])
    }
}
