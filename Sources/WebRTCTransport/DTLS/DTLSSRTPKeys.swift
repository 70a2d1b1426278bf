// RFC 5764 section 4.2: the keying material exported with the label "EXTRACTOR-dtls_srtp",
// 2 * (key_len + salt_len) bytes for the negotiated profile, laid out as
//   client_write_SRTP_master_key[key_len]
//   server_write_SRTP_master_key[key_len]
//   client_write_SRTP_master_salt[salt_len]
//   server_write_SRTP_master_salt[salt_len]

/// The SRTP master keys a DTLS handshake produced, for both directions.
public struct DTLSSRTPKeys: Equatable, Sendable {
    /// The exporter label RFC 5764 defines for DTLS-SRTP.
    public static let exporterLabel = "EXTRACTOR-dtls_srtp"

    public let profile: SRTPProtectionProfile
    /// What the DTLS client protects with (and the server unprotects with).
    public let clientWrite: SRTPMasterKey
    /// What the DTLS server protects with (and the client unprotects with).
    public let serverWrite: SRTPMasterKey

    public static func exportLength(for profile: SRTPProtectionProfile) -> Int {
        2 * (profile.keyLength + profile.saltLength)
    }

    /// Splits exported keying material; `nil` when its length does not fit the profile.
    public init?(profile: SRTPProtectionProfile, keyingMaterial: [UInt8]) {
        guard keyingMaterial.count == Self.exportLength(for: profile) else { return nil }
        let keyLength = profile.keyLength
        let saltLength = profile.saltLength
        let saltsStart = 2 * keyLength
        clientWrite = SRTPMasterKey(
            key: Array(keyingMaterial[0..<keyLength]),
            salt: Array(keyingMaterial[saltsStart..<saltsStart + saltLength]))
        serverWrite = SRTPMasterKey(
            key: Array(keyingMaterial[keyLength..<saltsStart]),
            salt: Array(keyingMaterial[(saltsStart + saltLength)...]))
        self.profile = profile
    }

    /// The SRTP session for the side that played `role` in the handshake: it protects with its
    /// own write key and unprotects with the peer's.
    public func makeSession(for role: DTLSRole) throws(SRTPError) -> SRTPSession {
        switch role {
        case .client: try SRTPSession(profile: profile, outbound: clientWrite, inbound: serverWrite)
        case .server: try SRTPSession(profile: profile, outbound: serverWrite, inbound: clientWrite)
        }
    }
}
