import CSRTP

/// SRTP and SRTCP for one bundled transport: an outbound libsrtp context keyed with our master
/// key and an inbound one keyed with the peer's, each covering every SSRC in its direction.
///
/// Each call transforms the packet in place. When it throws, the packet keeps its length but
/// not necessarily its payload (libsrtp's GCM wipes a forged payload): drop it.
///
/// Not thread-safe: owned by the thread that handles the transport's packets.
public final class SRTPSession {
    public let profile: SRTPProtectionProfile
    private let outbound: srtp_t
    private let inbound: srtp_t

    /// Packets may arrive this far behind the newest one before they count as replays; wide
    /// enough for reordering plus late retransmissions.
    static let replayWindow = 1024

    public init(
        profile: SRTPProtectionProfile, outbound outboundKey: SRTPMasterKey, inbound inboundKey: SRTPMasterKey
    ) throws(SRTPError) {
        try SRTPLibrary.ensureInitialised()
        self.profile = profile
        let outbound = try Self.makeContext(profile: profile, key: outboundKey, direction: ssrc_any_outbound)
        do {
            inbound = try Self.makeContext(profile: profile, key: inboundKey, direction: ssrc_any_inbound)
        } catch {
            srtp_dealloc(outbound)
            throw error
        }
        self.outbound = outbound
    }

    deinit {
        srtp_dealloc(outbound)
        srtp_dealloc(inbound)
    }

    /// Encrypts an RTP packet in place and appends its authentication tag.
    public func protect(rtp packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, operation: .protectRTP, growth: Self.trailerCapacity) { context, bytes, length in
            srtp_protect(context, bytes, length)
        }
    }

    /// Encrypts an RTCP packet in place and appends the SRTCP index and tag.
    public func protect(rtcp packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, operation: .protectRTCP, growth: Self.trailerCapacity) { context, bytes, length in
            srtp_protect_rtcp(context, bytes, length)
        }
    }

    /// Verifies and decrypts an SRTP packet in place, leaving the plain RTP packet.
    public func unprotect(rtp packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, operation: .unprotectRTP, growth: 0) { context, bytes, length in
            srtp_unprotect(context, bytes, length)
        }
    }

    /// Verifies and decrypts an SRTCP packet in place, leaving the plain RTCP packet.
    public func unprotect(rtcp packet: inout [UInt8]) throws(SRTPError) {
        try transform(&packet, operation: .unprotectRTCP, growth: 0) { context, bytes, length in
            srtp_unprotect_rtcp(context, bytes, length)
        }
    }

    /// libsrtp writes up to a tag, an MKI and (for SRTCP) a 4-byte index past the packet.
    private static let trailerCapacity = Int(SRTP_MAX_TRAILER_LEN) + 4

    private func transform(
        _ packet: inout [UInt8],
        operation: SRTPError.Operation,
        growth: Int,
        _ call: (srtp_t, UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t
    ) throws(SRTPError) {
        let originalLength = packet.count
        let ssrc = Self.ssrc(of: packet, operation: operation)
        // libsrtp reads the fixed header before it checks the length; refuse what cannot hold one.
        guard originalLength >= Self.minimumLength(operation), originalLength <= Int(Int32.max) - growth else {
            throw SRTPError(kind: .malformedPacket, operation: operation, packetLength: originalLength, ssrc: ssrc)
        }
        let context = operation == .protectRTP || operation == .protectRTCP ? outbound : inbound
        packet.append(contentsOf: repeatElement(0, count: growth))
        var length = Int32(originalLength)
        let status = packet.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return srtp_err_status_bad_param }
            return call(context, base, &length)
        }
        guard status == srtp_err_status_ok, length >= 0, Int(length) <= packet.count else {
            packet.removeLast(growth)
            throw SRTPError(status: status, operation: operation, packetLength: originalLength, ssrc: ssrc)
        }
        packet.removeLast(packet.count - Int(length))
    }

    private static func minimumLength(_ operation: SRTPError.Operation) -> Int {
        switch operation {
        case .protectRTP, .unprotectRTP: 12
        case .protectRTCP, .unprotectRTCP, .createSession: 8
        }
    }

    /// The SSRC of an RTP packet (offset 8) or the sender SSRC of an RTCP packet (offset 4).
    private static func ssrc(of packet: [UInt8], operation: SRTPError.Operation) -> UInt32? {
        let offset = operation == .protectRTP || operation == .unprotectRTP ? 8 : 4
        guard packet.count >= offset + 4 else { return nil }
        return packet[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func makeContext(
        profile: SRTPProtectionProfile, key: SRTPMasterKey, direction: srtp_ssrc_type_t
    ) throws(SRTPError) -> srtp_t {
        guard key.key.count == profile.keyLength, key.salt.count == profile.saltLength else {
            let kind = SRTPError.Kind.invalidMasterKey(
                profile: profile, keyLength: key.key.count, saltLength: key.salt.count)
            throw SRTPError(kind: kind, operation: .createSession, packetLength: 0, ssrc: nil)
        }
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CmHmacSha1_80:
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc = srtp_ssrc_t(type: direction, value: 0)
        policy.window_size = UInt(replayWindow)
        var session: srtp_t?
        var keyAndSalt = key.keyAndSalt
        let status = keyAndSalt.withUnsafeMutableBufferPointer { keyBytes in
            // libsrtp copies the key during srtp_create.
            policy.key = keyBytes.baseAddress
            return srtp_create(&session, &policy)
        }
        guard status == srtp_err_status_ok, let session else {
            throw SRTPError(status: status, operation: .createSession)
        }
        return session
    }
}
