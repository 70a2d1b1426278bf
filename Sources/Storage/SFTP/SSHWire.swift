import Foundation

/// The SSH wire encoding (RFC 4251 section 5) that both the OpenSSH key file and SFTP use:
/// big-endian `uint32`/`uint64`, and `string` = `uint32` length + that many bytes. Every read
/// is bounds-checked and fails with the field's name and offset.
struct SSHWireReader {
    struct Truncated: Error, Hashable, CustomStringConvertible {
        var field: String
        var offset: Int
        var description: String { "\(field) truncated at offset \(offset)" }
    }

    private let bytes: [UInt8]
    private(set) var offset = 0

    init<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        self.bytes = Array(bytes)
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte(_ field: String) throws(Truncated) -> UInt8 {
        try take(1, field)[0]
    }

    mutating func uint32(_ field: String) throws(Truncated) -> UInt32 {
        try take(4, field).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64(_ field: String) throws(Truncated) -> UInt64 {
        try take(8, field).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func string(_ field: String) throws(Truncated) -> [UInt8] {
        let start = offset
        let length = try uint32(field)
        guard Int(length) <= remaining else {
            offset = start
            throw Truncated(field: field, offset: start)
        }
        return try take(Int(length), field)
    }

    mutating func text(_ field: String) throws(Truncated) -> String {
        String(decoding: try string(field), as: UTF8.self)
    }

    mutating func take(_ count: Int, _ field: String) throws(Truncated) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Truncated(field: field, offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}

/// Writes the encoding `SSHWireReader` reads.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func string<Bytes: Collection>(_ value: Bytes) where Bytes.Element == UInt8 {
        uint32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func text(_ value: String) { string(Array(value.utf8)) }
}
