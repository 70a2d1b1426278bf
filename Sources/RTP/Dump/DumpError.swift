/// The container formats `DumpReader` understands.
public enum DumpFormat: String, Sendable, Hashable, CustomStringConvertible {
    case pcap
    case pcapng
    /// Janus recording (`.mjr`), one track per file.
    case mjr

    public var description: String { rawValue }
}

/// Why a dump could not be read. Damage inside single packets is not an error: such packets are
/// skipped and counted in `DumpCounters`.
public enum DumpError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The first bytes match no known dump format.
    case notADump(firstBytes: [UInt8])
    /// The container structure is broken at `offset`, so nothing after it can be trusted.
    case malformed(format: DumpFormat, offset: Int64, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notADump(let firstBytes):
            if firstBytes.isEmpty { return "not a pcap, pcapng or mjr file: the file is empty" }
            let hex = firstBytes.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }
            let text = String(firstBytes.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
            return "not a pcap, pcapng or mjr file: first bytes \(hex.joined(separator: " ")) (\"\(text)\")"
        case .malformed(let format, let offset, let reason):
            return "malformed \(format) file at offset \(offset): \(reason)"
        }
    }
}
