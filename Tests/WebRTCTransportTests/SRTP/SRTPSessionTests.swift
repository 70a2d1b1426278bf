import Testing

@testable import WebRTCTransport

/// Known answers come from an independent implementation of RFC 3711 (AES-CM key derivation,
/// AES-CM, HMAC-SHA1) and RFC 7714 (AES-GCM) written with Python's `cryptography` package;
/// its key derivation reproduces the RFC 3711 appendix B.3 session keys for the AES-CM master key.
@Suite struct SRTPSessionTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let profile: SRTPProtectionProfile
        let masterKey: SRTPMasterKey
        let protectedRTP: [UInt8]
        /// SRTCP index 1: libsrtp counts from 1.
        let protectedRTCP: [UInt8]
        var testDescription: String { profile.openSSLName }
    }

    static let rtp = bytes("80e01234decafbadcafebabe101112131415161718191a1b1c1d1e1f20212223")
    static let rtcp = bytes("80c90003cafebabedeadbeef00112233")

    static let vectors = [
        Vector(
            profile: .aes128CmHmacSha1_80,
            masterKey: SRTPMasterKey(
                key: bytes("e1f97a0d3e018be0d64fa32c06de4139"), salt: bytes("0ec675ad498afeebb6960b3aabe6")),
            protectedRTP: bytes(
                "80e01234decafbadcafebabef5ef65f45827c5643f1663a5232b91b6bf31b1c1347375e9a27735831b63"),
            protectedRTCP: bytes("80c90003cafebabe042e161f4f3d3025800000017df46b9058f3ed3a9703")),
        Vector(
            profile: .aeadAes128Gcm,
            masterKey: SRTPMasterKey(
                key: bytes("000102030405060708090a0b0c0d0e0f"), salt: bytes("517569642070726f2071756f")),
            protectedRTP: bytes(
                "80e01234decafbadcafebabef06a602bad641076d119b44630f3c7d1c4231adcfce23c57e624c562120b169c7b6bbfa1"),
            protectedRTCP: bytes(
                "80c90003cafebabec7cdf57b88412324d331525ce891465fa6d6b8c05bff01e680000001")),
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    /// A sender and a receiver keyed for one direction.
    static func pair(_ vector: Vector) throws -> (sender: SRTPSession, receiver: SRTPSession) {
        let unused = SRTPMasterKey(
            key: [UInt8](repeating: 0x55, count: 16), salt: [UInt8](repeating: 0x66, count: vector.profile.saltLength))
        return (
            try SRTPSession(profile: vector.profile, outbound: vector.masterKey, inbound: unused),
            try SRTPSession(profile: vector.profile, outbound: unused, inbound: vector.masterKey)
        )
    }

    @Test(arguments: vectors)
    func protectMatchesTheKnownAnswer(vector: Vector) throws {
        let (sender, receiver) = try Self.pair(vector)
        var rtp = Self.rtp
        try sender.protect(rtp: &rtp)
        #expect(rtp == vector.protectedRTP)
        var rtcp = Self.rtcp
        try sender.protect(rtcp: &rtcp)
        #expect(rtcp == vector.protectedRTCP)

        try receiver.unprotect(rtp: &rtp)
        #expect(rtp == Self.rtp)
        try receiver.unprotect(rtcp: &rtcp)
        #expect(rtcp == Self.rtcp)
    }

    @Test(arguments: vectors)
    func roundTripsManyPacketsAcrossSequenceWrap(vector: Vector) throws {
        let (sender, receiver) = try Self.pair(vector)
        var sequence: UInt16 = 65_530
        for count in 0..<12 {
            var packet = Self.rtp
            packet[2] = UInt8(sequence >> 8)
            packet[3] = UInt8(sequence & 0xFF)
            packet.append(contentsOf: [UInt8](repeating: UInt8(count), count: count))
            let plain = packet
            try sender.protect(rtp: &packet)
            #expect(packet.count == plain.count + (vector.profile == .aeadAes128Gcm ? 16 : 10))
            #expect(packet[12...] != plain[12...])
            try receiver.unprotect(rtp: &packet)
            #expect(packet == plain)
            sequence &+= 1
        }
    }

    /// One inbound context serves every SSRC the peer sends (media and RTX streams), each with
    /// its own replay window.
    @Test(arguments: vectors)
    func interleavedSSRCsEachRoundTrip(vector: Vector) throws {
        let (sender, receiver) = try Self.pair(vector)
        for sequence in 0..<5 {
            for ssrc: UInt8 in [0x01, 0x02, 0x03] {
                var packet = Self.rtp
                packet[3] = UInt8(sequence)
                packet[11] = ssrc
                let plain = packet
                try sender.protect(rtp: &packet)
                try receiver.unprotect(rtp: &packet)
                #expect(packet == plain)
            }
        }
    }

    @Test(arguments: vectors)
    func aBadTagIsAnAuthenticationFailure(vector: Vector) throws {
        let (_, receiver) = try Self.pair(vector)
        var rtp = vector.protectedRTP
        rtp[rtp.count - 1] ^= 0x01
        #expect(
            throws: SRTPError(
                kind: .authenticationFailed, operation: .unprotectRTP, packetLength: rtp.count, ssrc: 0xCAFE_BABE)
        ) {
            try receiver.unprotect(rtp: &rtp)
        }
        // The length and header stay; libsrtp's GCM wipes the payload of a forged packet.
        #expect(rtp.count == vector.protectedRTP.count)
        #expect(rtp.prefix(12) == vector.protectedRTP.prefix(12))

        var rtcp = vector.protectedRTCP
        rtcp[10] ^= 0x80
        #expect(
            throws: SRTPError(
                kind: .authenticationFailed, operation: .unprotectRTCP, packetLength: rtcp.count, ssrc: 0xCAFE_BABE)
        ) {
            try receiver.unprotect(rtcp: &rtcp)
        }

        // The genuine packets still pass afterwards.
        var genuine = vector.protectedRTP
        try receiver.unprotect(rtp: &genuine)
        #expect(genuine == Self.rtp)
    }

    @Test(arguments: vectors)
    func aReplayedPacketIsReported(vector: Vector) throws {
        let (_, receiver) = try Self.pair(vector)
        var first = vector.protectedRTP
        try receiver.unprotect(rtp: &first)
        var again = vector.protectedRTP
        #expect(
            throws: SRTPError(kind: .replayed, operation: .unprotectRTP, packetLength: again.count, ssrc: 0xCAFE_BABE)
        ) {
            try receiver.unprotect(rtp: &again)
        }
    }

    @Test(arguments: vectors)
    func protectingASequenceNumberTwiceIsRefused(vector: Vector) throws {
        let (sender, _) = try Self.pair(vector)
        var first = Self.rtp
        try sender.protect(rtp: &first)
        var again = Self.rtp
        #expect(
            throws: SRTPError(kind: .replayed, operation: .protectRTP, packetLength: Self.rtp.count, ssrc: 0xCAFE_BABE)
        ) {
            try sender.protect(rtp: &again)
        }
        #expect(again == Self.rtp)
    }

    @Test func truncatedPacketsAreMalformed() throws {
        let (sender, receiver) = try Self.pair(Self.vectors[0])
        for length in 0..<12 {
            var rtp = Array(Self.rtp.prefix(length))
            #expect(throws: SRTPError.self) { try sender.protect(rtp: &rtp) }
            #expect(throws: SRTPError.self) { try receiver.unprotect(rtp: &rtp) }
            #expect(rtp.count == length)
        }
        var tiny: [UInt8] = [0x80, 0xC9]
        #expect(throws: SRTPError(kind: .malformedPacket, operation: .unprotectRTCP, packetLength: 2, ssrc: nil)) {
            try receiver.unprotect(rtcp: &tiny)
        }
    }

    @Test(arguments: vectors)
    func randomInputNeverCrashes(vector: Vector) throws {
        let (_, receiver) = try Self.pair(vector)
        var generator = SeededGenerator(seed: 99)
        var failures = 0
        for round in 0..<2000 {
            var packet = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if round % 2 == 0, packet.count > 1 { packet[0] = 0x80 | (packet[0] & 0x3F) }
            do {
                if round % 3 == 0 {
                    try receiver.unprotect(rtcp: &packet)
                } else {
                    try receiver.unprotect(rtp: &packet)
                }
            } catch {
                failures += 1
            }
        }
        #expect(failures == 2000)
    }

    @Test func wrongKeySizesAreRefused() {
        let short = SRTPMasterKey(key: [UInt8](repeating: 1, count: 15), salt: [UInt8](repeating: 2, count: 14))
        let gcmSalt = SRTPMasterKey(key: [UInt8](repeating: 1, count: 16), salt: [UInt8](repeating: 2, count: 12))
        #expect(
            throws: SRTPError(
                kind: .invalidMasterKey(profile: .aes128CmHmacSha1_80, keyLength: 15, saltLength: 14),
                operation: .createSession, packetLength: 0, ssrc: nil)
        ) {
            try SRTPSession(profile: .aes128CmHmacSha1_80, outbound: short, inbound: short)
        }
        #expect(throws: SRTPError.self) {
            try SRTPSession(profile: .aes128CmHmacSha1_80, outbound: gcmSalt, inbound: gcmSalt)
        }
        #expect(throws: Never.self) { try SRTPSession(profile: .aeadAes128Gcm, outbound: gcmSalt, inbound: gcmSalt) }
    }

    @Test func errorsNameOperationLengthAndSSRC() {
        let error = SRTPError(
            kind: .authenticationFailed, operation: .unprotectRTP, packetLength: 44, ssrc: 0xCAFE_BABE)
        #expect(error.description == "SRTP unprotect SRTP: authentication failed (44 bytes, ssrc 3405691582)")
    }
}
