import TestSupport
import MediaTypes
import Testing
@testable import RTP

@Suite struct DepacketizerPropertyTests {
    @Test func randomAndTruncatedPayloadsNeverTrap() throws {
        var depacketizers: [any Depacketizer] = [VP8Depacketizer(), H264Depacketizer(), OpusDepacketizer()]
        let randomPayloads = SeededGenerator.randomByteStrings(count: 5_000, maxLength: 40, seed: 4)
        let realPayloads = try realPackets(RealPackets.vp8 + RealPackets.h264 + RealPackets.opus).map(\.payload)
        let truncated = realPayloads.flatMap { truncations(of: $0) }
        var assembled = 0
        for index in depacketizers.indices {
            for (offset, payload) in (randomPayloads + truncated).enumerated() {
                let packet = RTPPacket(payloadType: 96, sequenceNumber: UInt16(offset & 0xFFFF), timestamp: 0,
                                       ssrc: 1, marker: true, payload: payload)
                _ = depacketizers[index].startsFrame(packet)
                if (try? depacketizers[index].assemble([packet, packet])) != nil { assembled += 1 }
                if (try? depacketizers[index].assemble([packet])) != nil { assembled += 1 }
            }
        }
        #expect(assembled > 0)
    }
}
