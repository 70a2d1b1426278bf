import MediaTypes

/// Reads the classic libpcap format (draft-ietf-opsawg-pcap). File header, 24 bytes:
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                          Magic Number                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |          Major Version        |         Minor Version         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           Reserved1                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           Reserved2                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                            SnapLen                            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     | FCS |f|       reserved        |           LinkType            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// then records, each a 16-byte header and the captured bytes:
///
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      Timestamp (Seconds)                      |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |            Timestamp (Microseconds or nanoseconds)            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Captured Packet Length                     |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Original Packet Length                     |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                          Packet Data                          /
///
/// The magic number, written in the writer's byte order, gives both the byte order and the
/// timestamp resolution: 0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds.
struct PcapReader {
    static let fileHeaderLength = 24
    static let recordHeaderLength = 16
    static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    static let nanosecondMagic: UInt32 = 0xA1B2_3C4D
    /// Larger records are not packets but a broken length field.
    static let maximumRecordLength = 1 << 24

    let byteOrder: DumpByteOrder
    /// Ticks per second of the fractional timestamp field.
    let timescale: Int64
    let linkType: LinkType
    private var recordIndex = 0

    /// Whether four bytes start a pcap file.
    static func matches(_ magic: ArraySlice<UInt8>) -> Bool {
        let bytes = DumpBytes(magic)
        return [DumpByteOrder.bigEndian, .littleEndian].contains { order in
            bytes.uint32(at: 0, order) == microsecondMagic || bytes.uint32(at: 0, order) == nanosecondMagic
        }
    }

    init(input: inout DumpInput) throws(DumpError) {
        guard let header = try input.read(Self.fileHeaderLength).map(DumpBytes.init) else {
            throw .malformed(format: .pcap, offset: 0, reason: "file header shorter than \(Self.fileHeaderLength) bytes")
        }
        let order: DumpByteOrder =
            header.uint32(at: 0, .bigEndian).map({ $0 == Self.microsecondMagic || $0 == Self.nanosecondMagic }) == true
            ? .bigEndian : .littleEndian
        byteOrder = order
        timescale = header.uint32(at: 0, order) == Self.nanosecondMagic ? 1_000_000_000 : 1_000_000
        let major = header.uint16(at: 4, order) ?? 0
        guard major == 2 else {
            throw .malformed(format: .pcap, offset: 4, reason: "major version \(major), expected 2")
        }
        // The top bits of the LinkType field carry the FCS length, which the IP lengths make moot.
        linkType = LinkType(rawValue: (header.uint32(at: 20, order) ?? 0) & 0xFFFF)
    }

    /// The next record, or nil at the end of the file (a record cut off by the end of the file
    /// ends it too, noted in `counters.truncatedTailOffset`).
    mutating func nextFrame(input: inout DumpInput, counters: inout DumpCounters) throws(DumpError) -> LinkFrame? {
        let start = input.offset
        if try input.isAtEnd() { return nil }
        guard let header = try input.peek(Self.recordHeaderLength).map(DumpBytes.init),
            let seconds = header.uint32(at: 0, byteOrder), let fraction = header.uint32(at: 4, byteOrder),
            let capturedLength = header.uint32(at: 8, byteOrder), let originalLength = header.uint32(at: 12, byteOrder)
        else {
            counters.truncatedTailOffset = start
            return nil
        }
        guard capturedLength <= Self.maximumRecordLength else {
            throw .malformed(format: .pcap, offset: start + 8, reason: "record \(recordIndex) claims \(capturedLength) captured bytes")
        }
        guard let record = try input.read(Self.recordHeaderLength + Int(capturedLength)) else {
            counters.truncatedTailOffset = start
            return nil
        }
        defer { recordIndex += 1 }
        counters.records += 1
        return LinkFrame(
            linkType: linkType,
            captureTime: MediaTime(value: Int64(seconds) * timescale + Int64(fraction), timescale: timescale),
            bytes: record.dropFirst(Self.recordHeaderLength),
            originalLength: Int(originalLength),
            location: DumpLocation(recordIndex: recordIndex, fileOffset: start))
    }
}
