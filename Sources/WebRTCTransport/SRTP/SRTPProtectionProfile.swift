/// The SRTP protection profiles negotiated by the DTLS `use_srtp` extension (RFC 5764 section
/// 4.1.2, RFC 7714 section 14.2), with the master key and salt sizes each one needs.
public enum SRTPProtectionProfile: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// AES-128 counter mode with an 80-bit HMAC-SHA1 tag.
    case aes128CmHmacSha1_80 = 0x0001
    /// AES-128 GCM with a 16-byte tag.
    case aeadAes128Gcm = 0x0007

    public var keyLength: Int { 16 }

    public var saltLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 14
        case .aeadAes128Gcm: 12
        }
    }

    /// The name OpenSSL (and `openssl s_client -use_srtp`) uses for the profile.
    public var openSSLName: String {
        switch self {
        case .aes128CmHmacSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        }
    }

    public var description: String { openSSLName }
}
