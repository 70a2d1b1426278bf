/// Bounds-checked big-endian reads over a byte buffer: every read either returns a value or
/// throws `RTPParseError.truncated` naming the field, so parsers never subscript input directly.
struct ByteReader {
    let bytes: [UInt8]
    /// Offset of the next byte to read, from the start of `bytes`.
    private(set) var offset: Int
    /// One past the last byte this reader may read.
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = Swift.min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { Swift.max(end - offset, 0) }

    private func require(_ count: Int, _ field: String) throws(RTPParseError) {
        guard count >= 0, remaining >= count else {
            throw .truncated(field: field, offset: offset, needed: count, available: remaining)
        }
    }

    mutating func readUInt8(_ field: String) throws(RTPParseError) -> UInt8 {
        try require(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16(_ field: String) throws(RTPParseError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readBigEndian(2, field))
    }

    mutating func readUInt24(_ field: String) throws(RTPParseError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readBigEndian(3, field))
    }

    mutating func readUInt32(_ field: String) throws(RTPParseError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readBigEndian(4, field))
    }

    mutating func readUInt64(_ field: String) throws(RTPParseError) -> UInt64 {
        try readBigEndian(8, field)
    }

    mutating func readBytes(_ count: Int, _ field: String) throws(RTPParseError) -> [UInt8] {
        try require(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int, _ field: String) throws(RTPParseError) {
        try require(count, field)
        offset += count
    }

    private mutating func readBigEndian(_ count: Int, _ field: String) throws(RTPParseError) -> UInt64 {
        try require(count, field)
        var value: UInt64 = 0
        for index in offset..<offset + count { value = value << 8 | UInt64(bytes[index]) }
        offset += count
        return value
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    mutating func appendUInt24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}
