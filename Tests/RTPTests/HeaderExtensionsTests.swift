import MediaTypes
import Testing
@testable import RTP

@Suite struct HeaderExtensionsTests {
    @Test func twoByteFormRoundTrip() throws {
        // Profile 0x1000 with app bits 0; id 1 empty; id 16 "hello"; then padding bytes to 32 bits.
        let block = RealPackets.hex("1000 0003 0100 1005 68656c6c6f 000000")
        let packet = RealPackets.hex("90600001 00000002 00000003") + block + [0xAB]
        let parsed = try RTPPacket(bytes: packet)
        #expect(parsed.extensions.form == .twoByte(appBits: 0))
        #expect(parsed.extensions.elements == [
            .init(id: 1, data: []), .init(id: 16, data: Array("hello".utf8)),
        ])
        #expect(parsed.payload == [0xAB])
        let rebuilt = try RTPPacket(bytes: parsed.serialized())
        #expect(rebuilt == parsed)
        #expect(parsed.serialized() == packet)
    }

    @Test func oneByteFormSkipsPaddingAndStopsAtId15() throws {
        // id 2 len 1 (0x21 0xaa 0xbb), padding 0x00, id 15 stops: what follows is ignored.
        let extensions = try RTPHeaderExtensions(
            profile: 0xBEDE, data: RealPackets.hex("21aabb00 f0123456"), offset: 16)
        #expect(extensions.elements == [.init(id: 2, data: [0xAA, 0xBB])])
    }

    @Test func buildChoosesTwoByteFormWhenNeeded() throws {
        var extensions = RTPHeaderExtensions()
        extensions.setMID("0", id: 1)
        #expect(extensions.serialized() == RealPackets.hex("bede0001 10300000"))
        extensions[20] = [1, 2]
        #expect(extensions.serialized() == RealPackets.hex("10000002 01013014 02010200"))
        extensions[20] = nil
        extensions[1] = nil
        #expect(extensions.serialized() == [])
    }

    @Test func typedAccessorsRoundTrip() throws {
        var extensions = RTPHeaderExtensions()
        extensions.setAudioLevel(.init(voiceActivity: false, level: 127), id: 1)
        extensions.setMID("video-1", id: 2)
        extensions.setAbsSendTime(MediaTime(value: 65_500, timescale: 1000), id: 3)  // 65.5 s wraps to 1.5 s
        let packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, extensions: extensions)
        let parsed = try RTPPacket(bytes: packet.serialized())
        #expect(try parsed.extensions.audioLevel(id: 1) == .init(voiceActivity: false, level: 127))
        #expect(try parsed.extensions.mid(id: 2) == "video-1")
        #expect(try parsed.extensions.absSendTime(id: 3) == MediaTime(value: 1_500, timescale: 1000))
        #expect(parsed.extensions[3] == [0x06, 0x00, 0x00])
    }

    @Test func malformedElementsThrow() throws {
        var extensions = RTPHeaderExtensions(elements: [.init(id: 5, data: [0xFF, 0xFE])], form: .twoByte(appBits: 0))
        #expect(throws: RTPParseError.self) { try extensions.mid(id: 5) }
        extensions[6] = []
        #expect(throws: RTPParseError.truncated(
            field: "audio level extension (id 6)", offset: 0, needed: 1, available: 0)) {
            try extensions.audioLevel(id: 6)
        }
        // Element 3 claims 4 bytes, 2 remain: the offset is from the start of the packet.
        #expect(throws: RTPParseError.truncated(
            field: "header extension element 3 data", offset: 17, needed: 4, available: 3)) {
            try RTPPacket(bytes: RealPackets.hex("90600001 00000002 00000003 bede0001 33aabbcc"))
        }
    }

    @Test func opaqueProfileIsKept() throws {
        let bytes = RealPackets.hex("90600001 00000002 00000003 abcd0001 01020304 ff")
        let packet = try RTPPacket(bytes: bytes)
        #expect(packet.extensions.form == .opaque(profile: 0xABCD, data: [1, 2, 3, 4]))
        #expect(packet.serialized() == bytes)
    }
}
