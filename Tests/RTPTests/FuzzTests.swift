import TestSupport
import MediaTypes
import Testing
@testable import RTP

/// Random input into the parsers that the other suites do not reach directly, and random
/// packet streams into the jitter buffer: typed errors or values, never a trap.
@Suite struct FuzzTests {
    @Test func headerExtensionBlocksAndAccessors() {
        var parsed = 0
        var generator = SeededGenerator(seed: 21)
        for data in SeededGenerator.randomByteStrings(count: 10_000, maxLength: 48, seed: 22) {
            let profile: UInt16 = [0xBEDE, 0x1000, 0x100F, 0x1234][Int.random(in: 0...3, using: &generator)]
            guard let extensions = try? RTPHeaderExtensions(profile: profile, data: data, offset: 16) else { continue }
            parsed += 1
            for id in extensions.elements.map(\.id) {
                _ = try? extensions.audioLevel(id: id)
                _ = try? extensions.mid(id: id)
                _ = try? extensions.absSendTime(id: id)
            }
            // What parsed builds back into a block that parses to the same elements.
            if case .opaque = extensions.form { continue }
            let rebuilt = extensions.serialized()
            guard rebuilt.count >= 4 else {
                #expect(extensions.elements.isEmpty)
                continue
            }
            let again = try? RTPHeaderExtensions(
                profile: UInt16(rebuilt[0]) << 8 | UInt16(rebuilt[1]), data: Array(rebuilt.dropFirst(4)), offset: 16)
            #expect(again?.elements == extensions.elements)
        }
        #expect(parsed > 1000)
    }

    @Test func rtxOfRandomPackets() {
        let mapping = RTXMapping(associatedPayloadTypes: [97: 96], mediaSSRCs: [1: 2])
        for payload in SeededGenerator.randomByteStrings(count: 2_000, maxLength: 8, seed: 23) {
            let packet = RTPPacket(payloadType: 97, sequenceNumber: 0, timestamp: 0, ssrc: 1, payload: payload)
            do {
                let original = try mapping.original(of: packet)
                #expect(original.payload == Array(payload.dropFirst(2)))
            } catch {
                #expect(payload.count < 2)
            }
        }
    }

    /// Streams of packets with random sequence numbers, timestamps, markers and payloads (some
    /// of them real payload prefixes) into a jitter buffer per codec.
    @Test(arguments: [Codec.vp8, .h264, .opus])
    func jitterBufferSurvivesRandomStreams(codec: Codec) throws {
        var generator = SeededGenerator(seed: 24)
        let realPayloads = try realPackets(RealPackets.vp8 + RealPackets.h264 + RealPackets.opus).map(\.payload)
        for run in 0..<20 {
            guard let depacketizer = makeDepacketizer(for: codec) else { return }
            var buffer = JitterBuffer(
                track: TrackID("fuzz"), depacketizer: depacketizer,
                configuration: .init(reorderWindow: run % 2 == 0 ? .packets(8) : .time(.milliseconds(50)), capacity: 64))
            var sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &generator)
            var timestamp = UInt32.random(in: 0...UInt32.max, using: &generator)
            var released = 0
            for step in 0..<500 {
                // Mostly small steps forward, sometimes back, sometimes far.
                switch Int.random(in: 0..<100, using: &generator) {
                case 0..<70: sequenceNumber &+= 1
                case 70..<85: sequenceNumber &-= UInt16.random(in: 0...6, using: &generator)
                case 85..<98: sequenceNumber &+= UInt16.random(in: 2...10, using: &generator)
                default: sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &generator)
                }
                if Bool.random(using: &generator) { timestamp &+= UInt32.random(in: 0...6000, using: &generator) }
                let payload: [UInt8]
                if Bool.random(using: &generator), let real = realPayloads.randomElement(using: &generator) {
                    payload = Array(real.prefix(Int.random(in: 0...real.count, using: &generator)))
                } else {
                    payload = (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                }
                let now = MediaTime.milliseconds(Int64(step) * 5)
                buffer.insert(RTPPacket(payloadType: 96, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: 1,
                                        marker: Bool.random(using: &generator), payload: payload),
                              arrival: now, retransmitted: Bool.random(using: &generator))
                _ = buffer.nackList(now: now)
                released += buffer.drain(now: now).count
                _ = buffer.takeKeyframeRequest()
                #expect(buffer.bufferedPacketCount <= 64)
            }
            released += buffer.finish(now: .seconds(10)).count
            #expect(buffer.bufferedPacketCount == 0)
            #expect(buffer.statistics.framesReleased == released)
        }
    }
}
