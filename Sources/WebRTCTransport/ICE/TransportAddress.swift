/// An IP address and UDP port: what ICE calls a transport address. A plain value so the ICE
/// state machine stays free of any socket library; the I/O layer converts at its edge.
public struct TransportAddress: Sendable, Hashable, CustomStringConvertible {
    public enum IP: Sendable, Hashable {
        /// The address in network byte order as one number, e.g. 192.0.2.1 is 0xC000_0201.
        case v4(UInt32)
        /// The 16 address bytes in network order, high and low halves.
        case v6(high: UInt64, low: UInt64)
    }

    public var ip: IP
    public var port: UInt16

    public init(ip: IP, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses an IP literal as SDP and signaling carry it: dotted IPv4 (`192.0.2.1`) or
    /// IPv6 with `::` compression (`2001:db8::1`). Names, zone ids and IPv4-in-IPv6
    /// notation are not addresses the ICE agent can use and give nil.
    public init?(host: String, port: UInt16) {
        if let v4 = Self.parseIPv4(Substring(host)) {
            self.init(ip: .v4(v4), port: port)
        } else if let v6 = Self.parseIPv6(host) {
            self.init(ip: v6, port: port)
        } else {
            return nil
        }
    }

    public var isIPv6: Bool {
        if case .v6 = ip { return true }
        return false
    }

    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        var bytes: [UInt8] = []
        switch ip {
        case .v4(let value):
            bytes.reserveCapacity(4)
            for shift in stride(from: 24, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        case .v6(let high, let low):
            bytes.reserveCapacity(16)
            for half in [high, low] {
                for shift in stride(from: 56, through: 0, by: -8) {
                    bytes.append(UInt8(truncatingIfNeeded: half >> UInt64(shift)))
                }
            }
        }
        return bytes
    }

    /// The address from 4 or 16 bytes in network order; nil for any other count.
    public init?(addressBytes bytes: [UInt8], port: UInt16) {
        switch bytes.count {
        case 4:
            self.init(ip: .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) }), port: port)
        case 16:
            let high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
            self.init(ip: .v6(high: high, low: low), port: port)
        default:
            return nil
        }
    }

    /// The IP alone, e.g. `192.0.2.1` or `2001:db8::1` (RFC 5952 text form).
    public var host: String {
        switch ip {
        case .v4(let value):
            return (0..<4).map { String(value >> UInt32(24 - 8 * $0) & 0xFF) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups = (0..<8).map { index -> UInt16 in
                let half = index < 4 ? high : low
                return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (index % 4)))
            }
            // RFC 5952: compress the longest run (of two or more) of zero groups, the first if tied.
            var bestStart = -1, bestLength = 1, runStart = -1
            for index in 0...8 {
                if index < 8 && groups[index] == 0 {
                    if runStart < 0 { runStart = index }
                } else if runStart >= 0 {
                    if index - runStart > bestLength { (bestStart, bestLength) = (runStart, index - runStart) }
                    runStart = -1
                }
            }
            let text = groups.map { String($0, radix: 16) }
            guard bestStart >= 0 else { return text.joined(separator: ":") }
            let head = text[0..<bestStart].joined(separator: ":")
            let tail = text[(bestStart + bestLength)...].joined(separator: ":")
            return head + "::" + tail
        }
    }

    public var description: String {
        isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    private static func parseIPv6(_ text: String) -> IP? {
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let halves = splitAtDoubleColons(text)
        let all: [UInt16]
        switch halves.count {
        case 1:
            guard let only = groups(halves[0]), only.count == 8 else { return nil }
            all = only
        case 2:
            guard let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count <= 7 else {
                return nil
            }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return .v6(high: high, low: low)
    }
}

/// Splits at each `::`; an address has at most one, so more than two parts means invalid.
private func splitAtDoubleColons(_ text: String) -> [Substring] {
    var parts: [Substring] = []
    var start = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(after: index)
        if text[index] == ":", next < text.endIndex, text[next] == ":" {
            parts.append(text[start..<index])
            start = text.index(after: next)
            index = start
        } else {
            index = next
        }
    }
    parts.append(text[start..<text.endIndex])
    return parts
}
