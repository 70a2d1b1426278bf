/// The byte order of a multi-byte field in a dump file.
enum DumpByteOrder: Sendable {
    case bigEndian, littleEndian
}

/// Bounds-checked reads of fixed-width fields from a byte slice, at offsets relative to the
/// slice's start. Every read past the end returns nil, so a parser can never trap on its input.
struct DumpBytes {
    let storage: ArraySlice<UInt8>

    init(_ storage: ArraySlice<UInt8>) {
        self.storage = storage
    }

    var count: Int { storage.count }

    func uint8(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < storage.count else { return nil }
        return storage[storage.startIndex + offset]
    }

    func uint16(at offset: Int, _ order: DumpByteOrder = .bigEndian) -> UInt16? {
        unsigned(at: offset, width: 2, order).map { UInt16(truncatingIfNeeded: $0) }
    }

    func uint32(at offset: Int, _ order: DumpByteOrder = .bigEndian) -> UInt32? {
        unsigned(at: offset, width: 4, order).map { UInt32(truncatingIfNeeded: $0) }
    }

    func uint64(at offset: Int, _ order: DumpByteOrder = .bigEndian) -> UInt64? {
        unsigned(at: offset, width: 8, order)
    }

    /// `length` bytes from `offset`, or nil when they are not all there.
    func slice(at offset: Int, length: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, length >= 0, offset <= storage.count, length <= storage.count - offset else {
            return nil
        }
        let start = storage.startIndex + offset
        return storage[start..<(start + length)]
    }

    /// Everything from `offset` to the end, or nil when `offset` is past the end.
    func suffix(from offset: Int) -> ArraySlice<UInt8>? {
        slice(at: offset, length: storage.count - offset)
    }

    private func unsigned(at offset: Int, width: Int, _ order: DumpByteOrder) -> UInt64? {
        guard let bytes = slice(at: offset, length: width) else { return nil }
        var value: UInt64 = 0
        switch order {
        case .bigEndian:
            for byte in bytes { value = value << 8 | UInt64(byte) }
        case .littleEndian:
            for byte in bytes.reversed() { value = value << 8 | UInt64(byte) }
        }
        return value
    }
}
