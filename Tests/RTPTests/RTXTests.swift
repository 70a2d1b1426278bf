import Testing
@testable import RTP

@Suite struct RTXTests {
    let mapping = RTXMapping(associatedPayloadTypes: [97: 96], mediaSSRCs: [0xBBBB: 0xAAAA])

    @Test func restoresTheOriginalPacket() throws {
        let original = try RTPPacket(bytes: RealPackets.vp8[3])
        var rtx = original
        rtx.payloadType = 97
        rtx.ssrc = 0xBBBB
        rtx.sequenceNumber = 17
        rtx.payload = [UInt8(original.sequenceNumber >> 8), UInt8(original.sequenceNumber & 0xFF)] + original.payload
        rtx.paddingLength = 8
        let parsedRTX = try RTPPacket(bytes: rtx.serialized())
        #expect(mapping.isRetransmission(parsedRTX))
        #expect(!mapping.isRetransmission(original))
        var restored = original
        restored.ssrc = 0xAAAA
        #expect(try mapping.original(of: parsedRTX) == restored)
    }

    @Test func rejectsUnmappedAndPaddingOnlyPackets() {
        let probe = RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 0, ssrc: 0xBBBB, paddingLength: 200)
        #expect(throws: RTPParseError.truncated(field: "RTX original sequence number", offset: 0, needed: 2, available: 0)) {
            try mapping.original(of: probe)
        }
        let unknownSSRC = RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 0, ssrc: 5, payload: [0, 1])
        #expect(throws: RTPParseError.self) { try mapping.original(of: unknownSSRC) }
        let media = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 0xBBBB, payload: [0, 1])
        #expect(throws: RTPParseError.self) { try mapping.original(of: media) }
    }
}
