/// One direction's SRTP master key and master salt (RFC 3711 section 8.2), from which libsrtp
/// derives the session keys for SRTP and SRTCP.
public struct SRTPMasterKey: Equatable, Sendable {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    /// libsrtp takes the key immediately followed by the salt.
    var keyAndSalt: [UInt8] { key + salt }
}
