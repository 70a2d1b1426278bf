// STUN attributes (RFC 8489 section 14, RFC 8445 section 16.1). Each attribute is a TLV
// padded to a multiple of 4 bytes; the padding is not counted in Length:
//
//     0                   1                   2                   3
//     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |         Type                  |            Length             |
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//    |                         Value (variable)                ....
//    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS values (XOR: port ^ 0x2112, address ^ magic cookie
// for IPv4, ^ magic cookie || transaction id for IPv6):
//
//    |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
//    |         (X-)Address (32 bits or 128 bits)                     |
//
// ERROR-CODE value (code = Class * 100 + Number):
//
//    |           Reserved, should be 0         |Class|     Number    |
//    |      Reason Phrase (variable)                                ..

/// One STUN attribute, decoded where the ICE agent needs its meaning and kept as raw bytes
/// otherwise.
public enum STUNAttribute: Sendable, Hashable {
    case mappedAddress(TransportAddress)
    case xorMappedAddress(TransportAddress)
    case username(String)
    /// The 20-byte HMAC-SHA1 as received; `STUNMessage.encoded` computes it when sending.
    case messageIntegrity([UInt8])
    /// The CRC as received; `STUNMessage.encoded` computes it when sending.
    case fingerprint(UInt32)
    case errorCode(code: Int, reason: String)
    case software(String)
    /// RFC 8445: the priority the sender's peer-reflexive candidate would have.
    case priority(UInt32)
    case useCandidate
    /// The sender's tie-breaker, for role conflicts.
    case iceControlling(UInt64)
    case iceControlled(UInt64)
    /// Any other attribute, kept byte for byte.
    case unknown(type: UInt16, value: [UInt8])

    public enum TypeCode {
        public static let mappedAddress: UInt16 = 0x0001
        public static let username: UInt16 = 0x0006
        public static let messageIntegrity: UInt16 = 0x0008
        public static let errorCode: UInt16 = 0x0009
        public static let xorMappedAddress: UInt16 = 0x0020
        public static let priority: UInt16 = 0x0024
        public static let useCandidate: UInt16 = 0x0025
        public static let software: UInt16 = 0x8022
        public static let fingerprint: UInt16 = 0x8028
        public static let iceControlled: UInt16 = 0x8029
        public static let iceControlling: UInt16 = 0x802A
    }

    public var typeCode: UInt16 {
        switch self {
        case .mappedAddress: TypeCode.mappedAddress
        case .xorMappedAddress: TypeCode.xorMappedAddress
        case .username: TypeCode.username
        case .messageIntegrity: TypeCode.messageIntegrity
        case .fingerprint: TypeCode.fingerprint
        case .errorCode: TypeCode.errorCode
        case .software: TypeCode.software
        case .priority: TypeCode.priority
        case .useCandidate: TypeCode.useCandidate
        case .iceControlling: TypeCode.iceControlling
        case .iceControlled: TypeCode.iceControlled
        case .unknown(let type, _): type
        }
    }

    /// Decodes one attribute value; `offset` is where the attribute starts in the message,
    /// for the error.
    static func decode(
        type: UInt16, value: ArraySlice<UInt8>, offset: Int, transactionID: STUNTransactionID
    ) throws(STUNParseError) -> STUNAttribute {
        func requireLength(_ name: String, _ valid: Bool) throws(STUNParseError) {
            if !valid { throw .badAttributeLength(attribute: name, offset: offset, length: value.count) }
        }
        func text(_ name: String) throws(STUNParseError) -> String {
            guard let string = String(validating: value, as: UTF8.self) else {
                throw .invalidUTF8(attribute: name, offset: offset)
            }
            return string
        }
        switch type {
        case TypeCode.mappedAddress:
            return .mappedAddress(try decodeAddress("MAPPED-ADDRESS", value, offset: offset, xorWith: nil))
        case TypeCode.xorMappedAddress:
            return .xorMappedAddress(
                try decodeAddress("XOR-MAPPED-ADDRESS", value, offset: offset, xorWith: transactionID))
        case TypeCode.username:
            try requireLength("USERNAME", value.count <= 513)
            return .username(try text("USERNAME"))
        case TypeCode.messageIntegrity:
            try requireLength("MESSAGE-INTEGRITY", value.count == 20)
            return .messageIntegrity(Array(value))
        case TypeCode.fingerprint:
            try requireLength("FINGERPRINT", value.count == 4)
            return .fingerprint(UInt32(truncatingIfNeeded: STUNBytes.read(value)))
        case TypeCode.errorCode:
            try requireLength("ERROR-CODE", value.count >= 4 && value.count <= 767)
            let classDigit = Int(value[value.startIndex + 2] & 0x07)
            let number = Int(value[value.startIndex + 3])
            guard (3...6).contains(classDigit), number < 100 else {
                throw .badAttributeLength(attribute: "ERROR-CODE class/number", offset: offset, length: value.count)
            }
            guard let reason = String(validating: value.dropFirst(4), as: UTF8.self) else {
                throw .invalidUTF8(attribute: "ERROR-CODE reason", offset: offset)
            }
            return .errorCode(code: classDigit * 100 + number, reason: reason)
        case TypeCode.software:
            try requireLength("SOFTWARE", value.count <= 763)
            return .software(try text("SOFTWARE"))
        case TypeCode.priority:
            try requireLength("PRIORITY", value.count == 4)
            return .priority(UInt32(truncatingIfNeeded: STUNBytes.read(value)))
        case TypeCode.useCandidate:
            try requireLength("USE-CANDIDATE", value.isEmpty)
            return .useCandidate
        case TypeCode.iceControlling:
            try requireLength("ICE-CONTROLLING", value.count == 8)
            return .iceControlling(STUNBytes.read(value))
        case TypeCode.iceControlled:
            try requireLength("ICE-CONTROLLED", value.count == 8)
            return .iceControlled(STUNBytes.read(value))
        default:
            return .unknown(type: type, value: Array(value))
        }
    }

    /// The value bytes, unpadded.
    func encodedValue(transactionID: STUNTransactionID) -> [UInt8] {
        switch self {
        case .mappedAddress(let address):
            return Self.encodeAddress(address, xorWith: nil)
        case .xorMappedAddress(let address):
            return Self.encodeAddress(address, xorWith: transactionID)
        case .username(let text), .software(let text):
            return Array(text.utf8)
        case .messageIntegrity(let bytes):
            return bytes
        case .fingerprint(let value), .priority(let value):
            return STUNBytes.write(value)
        case .errorCode(let code, let reason):
            let classDigit = UInt8(clamping: code / 100), number = UInt8(clamping: code % 100)
            return [0, 0, classDigit & 0x07, number] + Array(reason.utf8)
        case .useCandidate:
            return []
        case .iceControlling(let tieBreaker), .iceControlled(let tieBreaker):
            return STUNBytes.write(tieBreaker)
        case .unknown(_, let value):
            return value
        }
    }

    private static func decodeAddress(
        _ name: String, _ value: ArraySlice<UInt8>, offset: Int, xorWith transactionID: STUNTransactionID?
    ) throws(STUNParseError) -> TransportAddress {
        guard value.count >= 4 else { throw .badAttributeLength(attribute: name, offset: offset, length: value.count) }
        let family = value[value.startIndex + 1]
        let expected: Int
        switch family {
        case 0x01: expected = 8
        case 0x02: expected = 20
        default: throw .unknownAddressFamily(attribute: name, offset: offset, family: family)
        }
        guard value.count == expected else {
            throw .badAttributeLength(attribute: name, offset: offset, length: value.count)
        }
        var port = UInt16(truncatingIfNeeded: STUNBytes.read(value[(value.startIndex + 2)..<(value.startIndex + 4)]))
        var address = Array(value[(value.startIndex + 4)...])
        if let transactionID {
            port ^= UInt16(truncatingIfNeeded: STUNMessage.magicCookie >> 16)
            let mask = xorMask(transactionID)
            for index in address.indices { address[index] ^= mask[index] }
        }
        guard let result = TransportAddress(addressBytes: address, port: port) else {
            throw .badAttributeLength(attribute: name, offset: offset, length: value.count)
        }
        return result
    }

    private static func encodeAddress(_ address: TransportAddress, xorWith transactionID: STUNTransactionID?) -> [UInt8] {
        var port = address.port
        var bytes = address.addressBytes
        if let transactionID {
            port ^= UInt16(truncatingIfNeeded: STUNMessage.magicCookie >> 16)
            let mask = xorMask(transactionID)
            for index in bytes.indices { bytes[index] ^= mask[index] }
        }
        return [0, address.isIPv6 ? 0x02 : 0x01] + STUNBytes.write(port) + bytes
    }

    /// Magic cookie followed by the transaction id: 16 bytes, of which IPv4 uses the first 4.
    private static func xorMask(_ transactionID: STUNTransactionID) -> [UInt8] {
        STUNBytes.write(STUNMessage.magicCookie) + transactionID.bytes
    }
}

/// Big-endian integer reads and writes for STUN fields.
enum STUNBytes {
    /// Reads up to 8 bytes as a big-endian number; callers check the count first.
    static func read(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func write<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        stride(from: T.bitWidth - 8, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
