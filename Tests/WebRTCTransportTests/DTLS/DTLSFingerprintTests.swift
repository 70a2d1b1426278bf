import Testing

@testable import WebRTCTransport

@Suite struct DTLSFingerprintTests {
    static let sample =
        "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:E1:AE:33:08:74:B2:72:35:F1:B5:46"

    @Test func parsesAndWritesTheSDPForm() throws {
        let fingerprint = try DTLSFingerprint(sdpValue: Self.sample)
        #expect(fingerprint.hashFunction == .sha256)
        #expect(fingerprint.bytes.prefix(3) == [0x4A, 0xAD, 0xB9])
        #expect(fingerprint.bytes.last == 0x46)
        #expect(fingerprint.sdpValue == Self.sample)
        // Hex digits and the hash name in lower case mean the same.
        #expect(try DTLSFingerprint(sdpValue: Self.sample.uppercased().lowercased()) == fingerprint)
        #expect(try DTLSFingerprint(sdpValue: "SHA-256 " + Self.sample.dropFirst(8)) == fingerprint)
    }

    @Test func writesSingleDigitBytesWithALeadingZero() throws {
        let fingerprint = try DTLSFingerprint(hashFunction: .sha1, bytes: Array(0..<20))
        #expect(fingerprint.sdpValue == "sha-1 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13")
    }

    @Test(arguments: [
        ("", "expected a hash function and a hex value"),
        ("sha-256", "expected a hash function and a hex value"),
        ("md5 AA:BB", "unsupported hash function md5"),
        ("sha-256 AA:BB", "sha-256 needs 32 bytes"),
        ("sha-1 AA:B:CC", "byte 1 is not two hex digits: \"B\""),
        ("sha-1 AA::CC", "byte 1 is not two hex digits: \"\""),
        ("sha-1 AA:GG", "byte 1 is not two hex digits: \"GG\""),
    ])
    func rejectsMalformedValues(text: String, reason: String) {
        #expect(throws: DTLSError.invalidFingerprint(text, reason: reason)) {
            try DTLSFingerprint(sdpValue: text)
        }
    }

    @Test func truncatedValuesNeverTrap() {
        for length in 0..<Self.sample.count {
            #expect(throws: DTLSError.self) { try DTLSFingerprint(sdpValue: String(Self.sample.prefix(length))) }
        }
    }
}
