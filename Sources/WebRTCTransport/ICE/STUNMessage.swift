import Crypto

// A STUN message (RFC 8489 section 5): a 20-byte header, then attributes.
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |0 0|     STUN Message Type     |         Message Length        |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                         Magic Cookie                          |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                                                               |
//    |                     Transaction ID (96 bits)                  |
//    |                                                               |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The message type interleaves the class bits C1 C0 with the 12 method bits:
//
//     0                 1
//     2  3  4 5 6 7 8 9 0 1 2 3 4 5
//    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
//    |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
//    |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
//    +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Message Length counts the attribute bytes (with padding), not the header. MESSAGE-INTEGRITY
// is an HMAC-SHA1 over the message up to the attribute before it, with Message Length set as
// if MESSAGE-INTEGRITY were the last attribute; FINGERPRINT is CRC-32 xor 0x5354554e over
// everything before it, and comes last.

/// The 96-bit id that pairs a STUN response with its request.
public struct STUNTransactionID: Sendable, Hashable, CustomStringConvertible {
    /// Always 12 bytes.
    public let bytes: [UInt8]

    /// nil unless `bytes` holds exactly 12 bytes.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 12 else { return nil }
        self.bytes = bytes
    }

    /// From the header's bytes 8..<20, whose size the parser has checked.
    init(header bytes: ArraySlice<UInt8>) {
        precondition(bytes.count == 12)
        self.bytes = Array(bytes)
    }

    public init<Generator: RandomNumberGenerator>(using generator: inout Generator) {
        bytes = (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

public struct STUNMessage: Sendable {
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerSize = 20
    static let fingerprintXor: UInt32 = 0x5354_554E

    public enum MessageClass: UInt8, Sendable {
        case request = 0b00
        case indication = 0b01
        case successResponse = 0b10
        case errorResponse = 0b11
    }

    /// The 12-bit STUN method; ICE uses only Binding.
    public struct Method: RawRepresentable, Sendable, Hashable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }
        public static let binding = Method(rawValue: 0x001)
    }

    public var messageClass: MessageClass
    public var method: Method
    public var transactionID: STUNTransactionID
    /// In wire order. MESSAGE-INTEGRITY and FINGERPRINT appear here after parsing; when
    /// encoding they are skipped and computed from the arguments of `encoded`.
    public var attributes: [STUNAttribute]

    /// What MESSAGE-INTEGRITY of a parsed message covers, with the length adjusted, and the
    /// received HMAC; nil for built messages and messages without MESSAGE-INTEGRITY.
    private var integrity: (covered: [UInt8], received: [UInt8])?

    public init(
        messageClass: MessageClass, method: Method = .binding, transactionID: STUNTransactionID,
        attributes: [STUNAttribute] = []
    ) {
        self.messageClass = messageClass
        self.method = method
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Parses one message that fills the whole datagram. A FINGERPRINT, when present, is
    /// checked here; MESSAGE-INTEGRITY needs the key, see `hasValidIntegrity(key:)`.
    /// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 14.5).
    public init(parsing datagram: [UInt8]) throws(STUNParseError) {
        guard datagram.count >= Self.headerSize else {
            throw .truncated(field: "header", offset: 0, needed: Self.headerSize, available: datagram.count)
        }
        guard datagram[0] & 0xC0 == 0 else { throw .notSTUN(firstByte: datagram[0]) }
        let cookie = UInt32(truncatingIfNeeded: STUNBytes.read(datagram[4..<8]))
        guard cookie == Self.magicCookie else { throw .badMagicCookie(cookie) }
        let length = Int(STUNBytes.read(datagram[2..<4]))
        guard length % 4 == 0, length == datagram.count - Self.headerSize else {
            throw .badMessageLength(declared: length, available: datagram.count - Self.headerSize)
        }
        let type = UInt16(truncatingIfNeeded: STUNBytes.read(datagram[0..<2]))
        messageClass = MessageClass(rawValue: UInt8(truncatingIfNeeded: (type >> 7 & 0b10) | (type >> 4 & 0b01))) ?? .request
        method = Method(rawValue: (type & 0x000F) | (type >> 1 & 0x0070) | (type >> 2 & 0x0F80))
        transactionID = STUNTransactionID(header: datagram[8..<20])
        attributes = []
        integrity = nil

        var offset = Self.headerSize
        var sawIntegrity = false
        var sawFingerprint = false
        while offset < datagram.count {
            guard datagram.count - offset >= 4 else {
                throw .truncated(field: "attribute header", offset: offset, needed: 4, available: datagram.count - offset)
            }
            let attributeType = UInt16(truncatingIfNeeded: STUNBytes.read(datagram[offset..<offset + 2]))
            let valueLength = Int(STUNBytes.read(datagram[offset + 2..<offset + 4]))
            let valueStart = offset + 4
            let padded = (valueLength + 3) & ~3
            guard datagram.count - valueStart >= padded else {
                throw .truncated(
                    field: "attribute 0x\(String(attributeType, radix: 16)) value", offset: valueStart,
                    needed: padded, available: datagram.count - valueStart)
            }
            if sawFingerprint { throw .attributeAfterFingerprint(type: attributeType, offset: offset) }
            let value = datagram[valueStart..<valueStart + valueLength]
            let attribute = try STUNAttribute.decode(
                type: attributeType, value: value, offset: offset, transactionID: transactionID)
            switch attribute {
            case .fingerprint(let received):
                let computed = CRC32.checksum(datagram[0..<offset]) ^ Self.fingerprintXor
                guard received == computed else {
                    throw .fingerprintMismatch(offset: offset, received: received, computed: computed)
                }
                sawFingerprint = true
                attributes.append(attribute)
            case .messageIntegrity(let received) where !sawIntegrity:
                var covered = Array(datagram[0..<offset])
                let adjusted = STUNBytes.write(UInt16(truncatingIfNeeded: offset + 24 - Self.headerSize))
                covered[2] = adjusted[0]
                covered[3] = adjusted[1]
                integrity = (covered, received)
                sawIntegrity = true
                attributes.append(attribute)
            default:
                if !sawIntegrity { attributes.append(attribute) }
            }
            offset = valueStart + padded
        }
    }

    /// Whether the MESSAGE-INTEGRITY of a parsed message matches `key` (for ICE's short-term
    /// credentials, the password's UTF-8 bytes). False when the message has none.
    public func hasValidIntegrity(key: [UInt8]) -> Bool {
        guard let integrity else { return false }
        return HMAC<Insecure.SHA1>.isValidAuthenticationCode(
            integrity.received, authenticating: integrity.covered, using: SymmetricKey(data: key))
    }

    /// The wire bytes: the attributes (minus any MESSAGE-INTEGRITY and FINGERPRINT among them,
    /// padded with zeros), then MESSAGE-INTEGRITY keyed with `integrityKey` when given, then
    /// FINGERPRINT when asked for.
    public func encoded(integrityKey: [UInt8]? = nil, fingerprint: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        let type = UInt16(method.rawValue & 0x000F) | (method.rawValue & 0x0070) << 1 | (method.rawValue & 0x0F80) << 2
            | UInt16(messageClass.rawValue & 0b01) << 4 | UInt16(messageClass.rawValue & 0b10) << 7
        bytes += STUNBytes.write(type)
        bytes += [0, 0]
        bytes += STUNBytes.write(Self.magicCookie)
        bytes += transactionID.bytes
        for attribute in attributes {
            switch attribute {
            case .messageIntegrity, .fingerprint: continue
            default: Self.append(attribute, to: &bytes, transactionID: transactionID)
            }
        }
        if let integrityKey {
            Self.setLength(of: &bytes, to: bytes.count + 24 - Self.headerSize)
            let code = HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: SymmetricKey(data: integrityKey))
            Self.append(.messageIntegrity(Array(code)), to: &bytes, transactionID: transactionID)
        }
        if fingerprint {
            Self.setLength(of: &bytes, to: bytes.count + 8 - Self.headerSize)
            let crc = CRC32.checksum(bytes) ^ Self.fingerprintXor
            Self.append(.fingerprint(crc), to: &bytes, transactionID: transactionID)
        }
        Self.setLength(of: &bytes, to: bytes.count - Self.headerSize)
        return bytes
    }

    private static func append(_ attribute: STUNAttribute, to bytes: inout [UInt8], transactionID: STUNTransactionID) {
        let value = attribute.encodedValue(transactionID: transactionID)
        bytes += STUNBytes.write(attribute.typeCode)
        bytes += STUNBytes.write(UInt16(truncatingIfNeeded: value.count))
        bytes += value
        bytes += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }

    private static func setLength(of bytes: inout [UInt8], to length: Int) {
        let field = STUNBytes.write(UInt16(truncatingIfNeeded: length))
        bytes[2] = field[0]
        bytes[3] = field[1]
    }
}

// The attributes ICE reads, by meaning.
extension STUNMessage {
    public var username: String? {
        attributes.lazy.compactMap { if case .username(let value) = $0 { value } else { nil } }.first
    }

    public var priority: UInt32? {
        attributes.lazy.compactMap { if case .priority(let value) = $0 { value } else { nil } }.first
    }

    public var useCandidate: Bool { attributes.contains(.useCandidate) }

    public var iceControlling: UInt64? {
        attributes.lazy.compactMap { if case .iceControlling(let value) = $0 { value } else { nil } }.first
    }

    public var iceControlled: UInt64? {
        attributes.lazy.compactMap { if case .iceControlled(let value) = $0 { value } else { nil } }.first
    }

    /// XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from servers that predate it.
    public var mappedAddress: TransportAddress? {
        attributes.lazy.compactMap {
            if case .xorMappedAddress(let value) = $0 { value } else { nil }
        }.first ?? attributes.lazy.compactMap {
            if case .mappedAddress(let value) = $0 { value } else { nil }
        }.first
    }

    public var errorCode: (code: Int, reason: String)? {
        attributes.lazy.compactMap { if case .errorCode(let code, let reason) = $0 { (code, reason) } else { nil } }.first
    }

    public var hasFingerprint: Bool {
        attributes.contains { if case .fingerprint = $0 { true } else { false } }
    }
}
