import COpenSSL

// RFC 8122 section 5: a certificate fingerprint in SDP is the hash of the certificate's DER
// encoding, named by its hash function and written as upper-case hex pairs joined by colons:
//   attribute   = "fingerprint" ":" hash-func SP fingerprint
//   hash-func   = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / token
//   fingerprint = 2UHEX *(":" 2UHEX)

/// The hash functions a fingerprint can name that OpenSSL computes for us.
public enum DTLSHashFunction: String, Sendable, CaseIterable {
    case sha1 = "sha-1"
    case sha224 = "sha-224"
    case sha256 = "sha-256"
    case sha384 = "sha-384"
    case sha512 = "sha-512"

    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha224: 28
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    var messageDigest: OpaquePointer? {
        switch self {
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }
}

/// The fingerprint of a DTLS certificate, as `a=fingerprint` carries it.
public struct DTLSFingerprint: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let hashFunction: DTLSHashFunction
    public let bytes: [UInt8]

    public init(hashFunction: DTLSHashFunction, bytes: [UInt8]) throws(DTLSError) {
        guard bytes.count == hashFunction.digestLength else {
            throw .invalidFingerprint(
                "\(hashFunction.rawValue) with \(bytes.count) bytes",
                reason: "\(hashFunction.rawValue) needs \(hashFunction.digestLength) bytes")
        }
        self.hashFunction = hashFunction
        self.bytes = bytes
    }

    /// Parses the attribute value, e.g. `sha-256 AB:CD:...` (hex digits in either case).
    public init(sdpValue: String) throws(DTLSError) {
        let fields = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 2 else {
            throw .invalidFingerprint(sdpValue, reason: "expected a hash function and a hex value")
        }
        guard let hashFunction = DTLSHashFunction(rawValue: fields[0].lowercased()) else {
            throw .invalidFingerprint(sdpValue, reason: "unsupported hash function \(fields[0])")
        }
        var bytes: [UInt8] = []
        for (index, pair) in fields[1].split(separator: ":", omittingEmptySubsequences: false).enumerated() {
            guard pair.utf8.count == 2, pair.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else {
                throw .invalidFingerprint(sdpValue, reason: "byte \(index) is not two hex digits: \"\(pair)\"")
            }
            bytes.append(byte)
        }
        guard bytes.count == hashFunction.digestLength else {
            throw .invalidFingerprint(
                sdpValue, reason: "\(hashFunction.rawValue) needs \(hashFunction.digestLength) bytes")
        }
        self.hashFunction = hashFunction
        self.bytes = bytes
    }

    /// The fingerprint of an OpenSSL `X509` certificate.
    init(certificate: OpaquePointer, hashFunction: DTLSHashFunction) throws(DTLSError) {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, hashFunction.messageDigest, &digest, &length) == 1 else {
            throw .openSSLCall("X509_digest", errors: OpenSSLErrorQueue.drain())
        }
        try self.init(hashFunction: hashFunction, bytes: Array(digest.prefix(Int(length))))
    }

    /// `sha-256 AB:CD:...`, the attribute value SDP carries.
    public var sdpValue: String {
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 0x10 ? "0" + digits : digits
        }
        return "\(hashFunction.rawValue) \(hex.joined(separator: ":"))"
    }

    public var description: String { sdpValue }
}
