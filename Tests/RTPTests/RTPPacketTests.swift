import TestSupport
import MediaTypes
import Testing
@testable import RTP

@Suite struct RTPPacketTests {
    @Test func parsesRealVP8Packet() throws {
        let packet = try RTPPacket(bytes: RealPackets.vp8[2])
        #expect(packet.marker)
        #expect(packet.payloadType == 96)
        #expect(packet.sequenceNumber == 3470)
        #expect(packet.timestamp == 2_452_786_477)
        #expect(packet.ssrc == 0xD814_8E40)
        #expect(packet.csrcs.isEmpty)
        #expect(packet.extensions.isEmpty)
        #expect(packet.paddingLength == 0)
        #expect(packet.payload.count == 46 - 12)
        #expect(Array(packet.payload.prefix(4)) == [0x80, 0x80, 0x80, 0x00])
    }

    @Test func realPacketsRoundTrip() throws {
        for bytes in RealPackets.vp8 + RealPackets.h264 + RealPackets.opus {
            #expect(try RTPPacket(bytes: bytes).serialized() == bytes)
        }
    }

    @Test func csrcsAndPaddingRoundTrip() throws {
        // V=2 P=1 CC=2, PT 96, seq 7, ts 9, SSRC 1, CSRCs 5 and 6, payload "abc", 4 padding bytes.
        let bytes = RealPackets.hex("a2600007 00000009 00000001 00000005 00000006 616263 00000004")
        let packet = try RTPPacket(bytes: bytes)
        #expect(packet.csrcs == [5, 6])
        #expect(packet.payload == Array("abc".utf8))
        #expect(packet.paddingLength == 4)
        #expect(!packet.marker)
        #expect(packet.serialized() == bytes)
        let built = RTPPacket(
            payloadType: 96, sequenceNumber: 7, timestamp: 9, ssrc: 1, payload: Array("abc".utf8),
            csrcs: [5, 6], paddingLength: 4)
        #expect(built == packet)
    }

    @Test func headerExtensionFromAiortc() throws {
        // Serialized by aiortc 1.16 with mid=1 "audio0", abs-send-time=3 0x123456, audio level=10 (V, 42).
        let bytes = RealPackets.hex(
            "90effffedeadbeef11223344bede000415617564696f3032123456a0aa000000f8fffe")
        let packet = try RTPPacket(bytes: bytes)
        #expect(packet.sequenceNumber == 0xFFFE)
        #expect(packet.payloadType == 111)
        #expect(packet.marker)
        #expect(packet.payload == [0xF8, 0xFF, 0xFE])
        #expect(packet.extensions.form == .oneByte)
        #expect(try packet.extensions.mid(id: 1) == "audio0")
        #expect(try packet.extensions.absSendTime(id: 3) == MediaTime(value: 0x123456, timescale: 1 << 18))
        #expect(try packet.extensions.audioLevel(id: 10) == .init(voiceActivity: true, level: 42))
        #expect(try packet.extensions.audioLevel(id: 4) == nil)
        #expect(packet.serialized() == bytes)
    }

    @Test func rejectsBadHeaders() {
        #expect(throws: RTPParseError.unsupportedVersion(found: 1)) {
            try RTPPacket(bytes: RealPackets.hex("40600001000000000000000"))
        }
        #expect(throws: RTPParseError.truncated(field: "RTP SSRC", offset: 8, needed: 4, available: 2)) {
            try RTPPacket(bytes: RealPackets.hex("80600001 00000000 0000"))
        }
        // Padding count 9 with only 2 bytes after the header.
        #expect(throws: RTPParseError.invalidValue(
            field: "RTP padding count", offset: 13,
            reason: "9 padding bytes with 2 bytes after the header")) {
            try RTPPacket(bytes: RealPackets.hex("a0600001 00000000 00000001 aa09"))
        }
    }

    @Test func classifiesRTCP() {
        #expect(RTPPacket.isRTCP(RealPackets.hex("80c80006")))
        #expect(RTPPacket.isRTCP(RealPackets.hex("81cd0005")))
        #expect(!RTPPacket.isRTCP(RealPackets.vp8[0]))
        #expect(!RTPPacket.isRTCP(RealPackets.hex("80e0")))  // marker + PT 96
        #expect(!RTPPacket.isRTCP([0x80]))
    }

    @Test func randomAndTruncatedInputThrowsTypedErrors() {
        var parsed = 0
        for bytes in SeededGenerator.randomByteStrings(count: 20_000, maxLength: 80, seed: 1) {
            if (try? RTPPacket(bytes: bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 0)  // version-2 strings do parse: the generator reaches the deep paths
        // Every cut of a real packet: inside the header it is an error, after it a shorter payload.
        for bytes in RealPackets.vp8 + RealPackets.h264 + RealPackets.opus {
            for prefix in truncations(of: bytes) {
                if prefix.count < 12 {
                    #expect(throws: RTPParseError.self) { try RTPPacket(bytes: prefix) }
                } else {
                    #expect((try? RTPPacket(bytes: prefix))?.payload.count == prefix.count - 12)
                }
            }
        }
        let withExtension = RealPackets.hex(
            "90effffedeadbeef11223344bede000415617564696f3032123456a0aa000000f8fffe")
        for prefix in truncations(of: withExtension) where prefix.count < 32 {
            #expect(throws: RTPParseError.self) { try RTPPacket(bytes: prefix) }
        }
    }
}

