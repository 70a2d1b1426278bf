import MediaTypes
import Testing
@testable import RTP

@Suite struct OpusDepacketizerTests {
    @Test func onePacketIsOneFrame() throws {
        let packets = try realPackets(RealPackets.opus)
        var depacketizer = OpusDepacketizer()
        let frame = try depacketizer.assemble([packets[0]])
        #expect(frame == DepacketizedFrame(data: packets[0].payload, isKeyframe: true))
        #expect(frame.data.first == 0xF8)  // TOC: config 31 (CELT FB 20 ms), mono, one frame
        #expect(packets.allSatisfy { depacketizer.startsFrame($0) && depacketizer.endsFrame($0) })
        #expect(throws: RTPParseError.self) { try depacketizer.assemble(Array(packets[0...1])) }
        #expect(throws: RTPParseError.self) {
            try depacketizer.assemble([RTPPacket(payloadType: 111, sequenceNumber: 1, timestamp: 0, ssrc: 1)])
        }
    }
}
