/// Settings of one DTLS association.
public struct DTLSConfiguration: Sendable {
    /// Offered (client) or accepted (server) `use_srtp` profiles, most preferred first.
    public var srtpProfiles: [SRTPProtectionProfile]
    /// The largest datagram DTLS may send; 1200 fits any path that carries WebRTC.
    public var maximumDatagramSize: Int
    /// The first handshake retransmission timeout; it doubles on each retransmission.
    /// RFC 6347 section 4.2.4.1 recommends one second.
    public var initialRetransmitTimeout: Duration

    public init(
        srtpProfiles: [SRTPProtectionProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80],
        maximumDatagramSize: Int = 1200,
        initialRetransmitTimeout: Duration = .seconds(1)
    ) {
        self.srtpProfiles = srtpProfiles
        self.maximumDatagramSize = maximumDatagramSize
        self.initialRetransmitTimeout = initialRetransmitTimeout
    }
}
