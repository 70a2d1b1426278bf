/// Why a certificate, a fingerprint or a DTLS association failed.
public enum DTLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An `a=fingerprint` value that cannot be used.
    case invalidFingerprint(String, reason: String)
    /// An OpenSSL call failed outside the handshake (setup, certificate generation, export).
    case openSSLCall(String, errors: [String])
    /// The peer's certificate does not hash to the fingerprint its SDP announced.
    case fingerprintMismatch(expected: DTLSFingerprint, actual: DTLSFingerprint)
    /// The handshake failed: a fatal alert was sent or received.
    case handshakeFailed(errors: [String])
    /// The peer stopped answering: OpenSSL gave up after its retransmission limit.
    case handshakeTimedOut
    /// The handshake completed without a `use_srtp` profile we offered.
    case srtpNotNegotiated(offered: [SRTPProtectionProfile])
    /// A fatal alert after the handshake.
    case connectionFailed(errors: [String])

    public var description: String {
        switch self {
        case .invalidFingerprint(let text, let reason):
            "invalid DTLS fingerprint \"\(text)\": \(reason)"
        case .openSSLCall(let function, let errors):
            "\(function) failed: \(Self.join(errors))"
        case .fingerprintMismatch(let expected, let actual):
            "peer certificate fingerprint \(actual) does not match the SDP fingerprint \(expected)"
        case .handshakeFailed(let errors):
            "DTLS handshake failed: \(Self.join(errors))"
        case .handshakeTimedOut:
            "DTLS handshake timed out: the peer did not answer the retransmitted flights"
        case .srtpNotNegotiated(let offered):
            "DTLS peer negotiated none of the offered SRTP profiles \(offered.map(\.openSSLName))"
        case .connectionFailed(let errors):
            "DTLS association failed: \(Self.join(errors))"
        }
    }

    private static func join(_ errors: [String]) -> String {
        errors.isEmpty ? "no OpenSSL error queued" : errors.joined(separator: "; ")
    }
}
