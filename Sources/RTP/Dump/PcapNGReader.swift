import MediaTypes

/// Reads pcapng (draft-ietf-opsawg-pcapng). The file is a sequence of blocks:
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                          Block Type                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      Block Total Length                       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                          Block Body                           /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      Block Total Length                       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Bodies read here (offsets within the body):
/// - Section Header (0x0A0D0D0A): byte-order magic 0x1A2B3C4D (0), major (4) and minor (6)
///   version, section length (8), options (16). Each section has its own byte order and
///   interfaces.
/// - Interface Description (1): LinkType (0, 2 bytes), reserved (2), SnapLen (4), options (8),
///   of which if_tsresol (9) and if_tsoffset (14) matter here.
/// - Enhanced Packet (6): Interface ID (0), Timestamp high (4) and low (8), Captured Length (12),
///   Original Length (16), data (20, padded to 4), options.
/// - Obsolete Packet (2): as Enhanced Packet but a 2-byte Interface ID and a 2-byte drop count.
/// - Simple Packet (3): Original Length (0), data (4); interface 0, no timestamp.
/// Other blocks are skipped. Options are 2-byte code, 2-byte length, value padded to 4 bytes.
struct PcapNGReader {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let interfaceDescriptionType: UInt32 = 1
    static let obsoletePacketType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6
    static let timestampResolutionOption: UInt16 = 9
    static let timestampOffsetOption: UInt16 = 14
    /// Larger blocks are not packets but a broken length field.
    static let maximumBlockLength = 1 << 24

    struct Interface {
        var linkType: LinkType
        var snapLength: Int
        /// Timestamp ticks per second; nil for a resolution beyond what `MediaTime` holds.
        var timescale: Int64?
        /// Seconds added to every timestamp (if_tsoffset).
        var offsetSeconds: Int64
    }

    private var byteOrder: DumpByteOrder = .bigEndian
    private(set) var interfaces: [Interface] = []
    private var recordIndex = 0
    /// Simple Packet Blocks carry no time; they get the time of the packet before them.
    private var lastCaptureTime = MediaTime.zero

    /// Whether four bytes start a pcapng file (the section header type reads the same both ways).
    static func matches(_ magic: ArraySlice<UInt8>) -> Bool {
        DumpBytes(magic).uint32(at: 0) == sectionHeaderType
    }

    init(input: inout DumpInput) throws(DumpError) {
        var counters = DumpCounters()
        guard let block = try readBlock(input: &input, counters: &counters), block.type == Self.sectionHeaderType else {
            throw .malformed(format: .pcapng, offset: 0, reason: "the file does not start with a whole section header block")
        }
    }

    /// The next packet, or nil at the end of the file (a block cut off by the end of the file
    /// ends it too, noted in `counters.truncatedTailOffset`).
    mutating func nextFrame(input: inout DumpInput, counters: inout DumpCounters) throws(DumpError) -> LinkFrame? {
        while let block = try readBlock(input: &input, counters: &counters) {
            switch block.type {
            case Self.sectionHeaderType, Self.interfaceDescriptionType:
                continue
            case Self.enhancedPacketType, Self.obsoletePacketType, Self.simplePacketType:
                defer { recordIndex += 1 }
                counters.records += 1
                if let frame = packet(in: block) {
                    lastCaptureTime = frame.captureTime
                    return frame
                }
                counters.malformed += 1
            default:
                counters.skippedRecords += 1
            }
        }
        return nil
    }

    /// Reads one whole block and applies section and interface blocks to the reader's state.
    private mutating func readBlock(
        input: inout DumpInput, counters: inout DumpCounters
    ) throws(DumpError) -> (type: UInt32, body: DumpBytes, offset: Int64)? {
        let start = input.offset
        if try input.isAtEnd() { return nil }
        guard let head = try input.peek(12).map(DumpBytes.init), let type = head.uint32(at: 0) else {
            counters.truncatedTailOffset = start
            return nil
        }
        if type == Self.sectionHeaderType {
            if head.uint32(at: 8, .bigEndian) == Self.byteOrderMagic {
                byteOrder = .bigEndian
            } else if head.uint32(at: 8, .littleEndian) == Self.byteOrderMagic {
                byteOrder = .littleEndian
            } else {
                throw .malformed(format: .pcapng, offset: start + 8, reason: "section header without the byte-order magic")
            }
        }
        let blockType = head.uint32(at: 0, byteOrder) ?? 0
        let length = Int(head.uint32(at: 4, byteOrder) ?? 0)
        let minimumLength = blockType == Self.sectionHeaderType ? 28 : 12
        guard length >= minimumLength, length % 4 == 0, length <= Self.maximumBlockLength else {
            throw .malformed(format: .pcapng, offset: start + 4, reason: "block type \(blockType) has total length \(length)")
        }
        guard let whole = try input.read(length).map(DumpBytes.init) else {
            counters.truncatedTailOffset = start
            return nil
        }
        guard whole.uint32(at: length - 4, byteOrder) == UInt32(length) else {
            throw .malformed(format: .pcapng, offset: start + Int64(length) - 4,
                             reason: "block type \(blockType): trailing length differs from leading length \(length)")
        }
        let body = DumpBytes(whole.slice(at: 8, length: length - 12) ?? [])
        switch blockType {
        case Self.sectionHeaderType:
            let major = body.uint16(at: 4, byteOrder) ?? 0
            guard major == 1 else {
                throw .malformed(format: .pcapng, offset: start + 12, reason: "section major version \(major), expected 1")
            }
            interfaces = []
        case Self.interfaceDescriptionType:
            interfaces.append(interface(in: body))
        default:
            break
        }
        return (blockType, body, start)
    }

    private func interface(in body: DumpBytes) -> Interface {
        var interface = Interface(
            linkType: LinkType(rawValue: UInt32(body.uint16(at: 0, byteOrder) ?? 0xFFFF)),
            snapLength: Int(body.uint32(at: 4, byteOrder) ?? 0),
            timescale: 1_000_000,
            offsetSeconds: 0)
        for (code, value) in options(in: body, from: 8) {
            switch code {
            case Self.timestampResolutionOption:
                guard let resolution = value.uint8(at: 0) else { continue }
                let exponent = Int64(resolution & 0x7F)
                if resolution & 0x80 == 0 {
                    interface.timescale = exponent <= 18 ? (0..<exponent).reduce(1) { value, _ in value * 10 } : nil
                } else {
                    interface.timescale = exponent <= 62 ? 1 << exponent : nil
                }
            case Self.timestampOffsetOption:
                if let seconds = value.uint64(at: 0, byteOrder) {
                    interface.offsetSeconds = Int64(bitPattern: seconds)
                }
            default:
                continue
            }
        }
        return interface
    }

    /// The options of a block body from `offset` on, up to opt_endofopt or the first option that
    /// runs past the body.
    private func options(in body: DumpBytes, from offset: Int) -> [(code: UInt16, value: DumpBytes)] {
        var result: [(code: UInt16, value: DumpBytes)] = []
        var position = offset
        while let code = body.uint16(at: position, byteOrder), code != 0,
            let length = body.uint16(at: position + 2, byteOrder),
            let value = body.slice(at: position + 4, length: Int(length))
        {
            result.append((code, DumpBytes(value)))
            position += 4 + (Int(length) + 3) / 4 * 4
        }
        return result
    }

    /// The frame of a packet block, or nil when its fields are inconsistent.
    private func packet(in block: (type: UInt32, body: DumpBytes, offset: Int64)) -> LinkFrame? {
        let body = block.body
        let interfaceIndex: Int
        let captureTime: MediaTime
        let data: ArraySlice<UInt8>
        let originalLength: Int
        if block.type == Self.simplePacketType {
            guard let wireLength = body.uint32(at: 0, byteOrder), let interface = interfaces.first else { return nil }
            interfaceIndex = 0
            captureTime = lastCaptureTime
            originalLength = Int(wireLength)
            var capturedLength = Swift.min(originalLength, body.count - 4)
            if interface.snapLength > 0 { capturedLength = Swift.min(capturedLength, interface.snapLength) }
            guard let bytes = body.slice(at: 4, length: capturedLength) else { return nil }
            data = bytes
        } else {
            let index = block.type == Self.enhancedPacketType
                ? body.uint32(at: 0, byteOrder).map(Int.init) : body.uint16(at: 0, byteOrder).map(Int.init)
            guard let index, interfaces.indices.contains(index),
                let high = body.uint32(at: 4, byteOrder), let low = body.uint32(at: 8, byteOrder),
                let capturedLength = body.uint32(at: 12, byteOrder), let wireLength = body.uint32(at: 16, byteOrder),
                let bytes = body.slice(at: 20, length: Int(capturedLength)),
                let time = Self.time(ticks: UInt64(high) << 32 | UInt64(low), on: interfaces[index])
            else { return nil }
            interfaceIndex = index
            captureTime = time
            originalLength = Int(wireLength)
            data = bytes
        }
        return LinkFrame(
            linkType: interfaces[interfaceIndex].linkType,
            captureTime: captureTime,
            bytes: data,
            originalLength: originalLength,
            location: DumpLocation(recordIndex: recordIndex, fileOffset: block.offset, interfaceIndex: interfaceIndex))
    }

    /// Capture times stay below 2^62 nanoseconds (the year 2116), so any of them can be rescaled
    /// to nanoseconds without overflowing.
    static let latestSecond: Int64 = (1 << 62) / 1_000_000_000

    /// Ticks since the epoch in the interface's resolution, shifted by its offset; nil when the
    /// result is negative or beyond `latestSecond`. Resolutions finer than nanoseconds or not a
    /// power of ten are converted to nanoseconds, so times combine with other time scales safely.
    static func time(ticks: UInt64, on interface: Interface) -> MediaTime? {
        guard let timescale = interface.timescale, ticks <= UInt64(Int64.max) else { return nil }
        let offset = interface.offsetSeconds.multipliedReportingOverflow(by: timescale)
        let value = Int64(ticks).addingReportingOverflow(offset.partialValue)
        guard !offset.overflow, !value.overflow, value.partialValue >= 0,
            value.partialValue / timescale < latestSecond
        else { return nil }
        let time = MediaTime(value: value.partialValue, timescale: timescale)
        let decimalScales: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]
        return decimalScales.contains(timescale) ? time : time.converted(to: 1_000_000_000, rounding: .down)
    }
}
