/// Why bytes from the network or a dump are not a valid RTP, RTCP or payload structure.
///
/// Every case names the field and the byte offset (from the start of the buffer handed to the
/// parser), so a counter or a log line can say exactly what was wrong.
public enum RTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ends inside `field`: it needs `needed` bytes at `offset`, only `available` remain.
    case truncated(field: String, offset: Int, needed: Int, available: Int)
    /// The version bits are not 2.
    case unsupportedVersion(found: UInt8)
    /// `field` at `offset` holds a value the format forbids.
    case invalidValue(field: String, offset: Int, reason: String)

    public var description: String {
        switch self {
        case let .truncated(field, offset, needed, available):
            return "truncated \(field) at byte \(offset): needs \(needed) bytes, \(available) available"
        case let .unsupportedVersion(found):
            return "unsupported RTP version \(found) (expected 2)"
        case let .invalidValue(field, offset, reason):
            return "invalid \(field) at byte \(offset): \(reason)"
        }
    }
}
