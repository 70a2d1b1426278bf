// RFC 8122 section 5:
//   attribute      = "fingerprint" ":" hash-func SP fingerprint
//   hash-func      = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / ... / token
//   fingerprint    = 2UHEX *(":" 2UHEX)

/// The hash of a peer's DTLS certificate; the certificate seen in the handshake must match it.
public struct Fingerprint: Equatable, Hashable, Sendable {
    /// As written, e.g. `sha-256`. Compare case-insensitively.
    public var hashFunction: String
    public var bytes: [UInt8]

    public init(hashFunction: String, bytes: [UInt8]) {
        self.hashFunction = hashFunction
        self.bytes = bytes
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 2 else { return nil }
        var bytes: [UInt8] = []
        for pair in SDPText.split(fields[1], separator: ":") {
            guard let byte = Fingerprint.hexByte(pair) else { return nil }
            bytes.append(byte)
        }
        self.init(hashFunction: String(fields[0]), bytes: bytes)
    }

    /// Upper-case colon-separated hex, as RFC 8122 writes it.
    public var hexString: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    var attributeValue: String { "\(hashFunction) \(hexString)" }

    private static func hexByte(_ pair: Substring) -> UInt8? {
        guard pair.utf8.count == 2, pair.allSatisfy(\.isHexDigit) else { return nil }
        return UInt8(pair, radix: 16)
    }
}
