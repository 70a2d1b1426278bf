/// Why a datagram is not a usable STUN message. Offsets count from the first byte of the
/// message, so a bad attribute can be found in a capture.
public enum STUNParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer bytes than `field` needs at `offset`.
    case truncated(field: String, offset: Int, needed: Int, available: Int)
    /// The two most significant bits of a STUN message are zero (RFC 8489 section 5).
    case notSTUN(firstByte: UInt8)
    case badMagicCookie(UInt32)
    /// The header's length is not a multiple of 4, or disagrees with the datagram's size.
    case badMessageLength(declared: Int, available: Int)
    /// An attribute whose value has the wrong size for its type.
    case badAttributeLength(attribute: String, offset: Int, length: Int)
    case unknownAddressFamily(attribute: String, offset: Int, family: UInt8)
    case invalidUTF8(attribute: String, offset: Int)
    /// FINGERPRINT present but not the CRC of the bytes before it.
    case fingerprintMismatch(offset: Int, received: UInt32, computed: UInt32)
    /// RFC 8489 section 14.7: FINGERPRINT is the last attribute.
    case attributeAfterFingerprint(type: UInt16, offset: Int)

    public var description: String {
        switch self {
        case let .truncated(field, offset, needed, available):
            return "STUN \(field) at offset \(offset) needs \(needed) bytes, \(available) left"
        case let .notSTUN(firstByte):
            return "not STUN: first byte 0x\(String(firstByte, radix: 16)) has its top bits set"
        case let .badMagicCookie(cookie):
            return "STUN magic cookie is 0x\(String(cookie, radix: 16)), not 0x2112a442"
        case let .badMessageLength(declared, available):
            return "STUN message length \(declared) is not a multiple of 4 or does not match the \(available) bytes after the header"
        case let .badAttributeLength(attribute, offset, length):
            return "STUN \(attribute) at offset \(offset) has invalid length \(length)"
        case let .unknownAddressFamily(attribute, offset, family):
            return "STUN \(attribute) at offset \(offset) has unknown address family 0x\(String(family, radix: 16))"
        case let .invalidUTF8(attribute, offset):
            return "STUN \(attribute) at offset \(offset) is not UTF-8"
        case let .fingerprintMismatch(offset, received, computed):
            let hex = (received: String(received, radix: 16), computed: String(computed, radix: 16))
            return "STUN FINGERPRINT at offset \(offset) is 0x\(hex.received), computed 0x\(hex.computed)"
        case let .attributeAfterFingerprint(type, offset):
            return "STUN attribute 0x\(String(type, radix: 16)) at offset \(offset) follows FINGERPRINT"
        }
    }
}
