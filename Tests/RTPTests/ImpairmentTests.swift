import TestSupport
import MediaTypes
import Testing
@testable import RTP

/// A VP8 stream through a deterministic lossy, reordering, duplicating network, with and
/// without retransmission of NACKed packets, checked against what was truly sent and lost.
@Suite struct ImpairmentTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var lossRate: Double
        var retransmits: Bool
        var seed: UInt64
        /// Waiting this long before a NACK lets most reordered packets arrive first.
        var nackDelay: MediaTime = .zero
        /// Retransmissions take 20-60 ms here: NACKing again sooner duplicates packets in flight.
        var nackRetryInterval: MediaTime = .milliseconds(30)
        /// Least share of the 300 frames that must come out.
        var minimumReleased: Double
        var testDescription: String {
            "\(Int(lossRate * 100))% loss, retransmission \(retransmits ? "on" : "off"), NACK delay \(nackDelay)"
        }
    }

    static let scenarios = [
        Scenario(lossRate: 0.05, retransmits: false, seed: 11, minimumReleased: 0.2),
        Scenario(lossRate: 0.20, retransmits: false, seed: 12, minimumReleased: 0.02),
        Scenario(lossRate: 0.05, retransmits: true, seed: 13, minimumReleased: 0.95),
        Scenario(lossRate: 0.20, retransmits: true, seed: 14, minimumReleased: 0.75),
        Scenario(lossRate: 0.05, retransmits: true, seed: 15, nackDelay: .milliseconds(60),
                 nackRetryInterval: .milliseconds(70), minimumReleased: 0.95),
        Scenario(lossRate: 0.20, retransmits: true, seed: 16, nackDelay: .milliseconds(60),
                 nackRetryInterval: .milliseconds(70), minimumReleased: 0.75),
    ]

    @Test(arguments: scenarios)
    func survivesLossReorderingAndDuplication(_ scenario: Scenario) {
        let stream = SyntheticVP8Stream(frameCount: 300, keyframeInterval: 30, firstSequenceNumber: 65_000,
                                        firstTimestamp: UInt32.max - 100_000)
        let sent = stream.packets
        let indexOfSequence = Dictionary(uniqueKeysWithValues: sent.enumerated().map { ($1.sequenceNumber, $0) })
        var filter = ImpairmentFilter(lossRate: scenario.lossRate, reorderDepth: 5, duplicationRate: 0.03,
                                      generator: SeededGenerator(seed: scenario.seed))
        let delivered = filter.apply(sent)
        var generator = filter.generator

        var buffer = JitterBuffer(
            track: TrackID("camera"), depacketizer: VP8Depacketizer(),
            configuration: .init(reorderWindow: .packets(40), nackDelay: scenario.nackDelay, maxNACKsPerPacket: 3,
                                 nackRetryInterval: scenario.nackRetryInterval, keyframeRetryInterval: .milliseconds(100)))
        var frames: [EncodedFrame] = []
        var arrived = Set<Int>()
        var nacked = Set<Int>()
        var keyframeRequests = 0
        var retransmissions: [Int: [RTPPacket]] = [:]  // slot -> packets resent for it
        var slot = 0
        while slot < delivered.count || retransmissions.keys.contains(where: { $0 >= slot }) {
            let now = MediaTime.milliseconds(Int64(slot) * 10)
            var arrivals = slot < delivered.count ? [(delivered[slot], false)] : []
            arrivals += (retransmissions.removeValue(forKey: slot) ?? []).map { ($0, true) }
            for (packet, retransmitted) in arrivals {
                buffer.insert(packet, arrival: now, retransmitted: retransmitted)
                arrived.insert(indexOfSequence[packet.sequenceNumber] ?? -1)
            }
            let nacks = buffer.nackList(now: now).compactMap { indexOfSequence[$0] }
            #expect(arrived.isDisjoint(with: nacks), "only packets that have not arrived are NACKed")
            nacked.formUnion(nacks)
            if scenario.retransmits {
                for index in nacks where Double.random(in: 0..<1, using: &generator) >= scenario.lossRate {
                    retransmissions[slot + Int.random(in: 2...6, using: &generator), default: []].append(sent[index])
                }
            }
            frames += buffer.drain(now: now)
            if buffer.takeKeyframeRequest() { keyframeRequests += 1 }
            slot += 1
        }
        frames += buffer.finish(now: .milliseconds(Int64(slot) * 10))

        // Frames come out whole, in order, and only when the decoder can use them.
        let numbers = frames.compactMap { SyntheticVP8Stream.frameNumber($0.data) }
        #expect(numbers.count == frames.count)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 })
        #expect(frames.map(\.data) == numbers.map(stream.expectedData))
        #expect(frames.first?.isKeyframe == true)
        for (previous, current) in zip(numbers, numbers.dropFirst()) where !stream.isKeyframe(current) {
            #expect(previous == current - 1, "delta frame \(current) released without frame \(current - 1)")
        }

        // Every packet truly lost between the first and the last that arrived was NACKed.
        let trulyLost = Set((arrived.min() ?? 0)..<(arrived.max() ?? 0)).subtracting(arrived)
        #expect(trulyLost.isSubset(of: nacked))
        #expect(buffer.statistics.packetsLost == trulyLost.count + buffer.statistics.latePackets)

        // Every frame is either released or counted as dropped, or lost every packet it had.
        var firstPacketOfFrame = 0
        var entirelyLost = 0
        var framesWithLoss = 0
        for frame in 0..<stream.frameCount {
            let indices = firstPacketOfFrame..<firstPacketOfFrame + stream.packetsPerFrame(frame)
            if indices.allSatisfy({ !arrived.contains($0) }) { entirelyLost += 1 }
            if indices.contains(where: { !arrived.contains($0) }) { framesWithLoss += 1 }
            firstPacketOfFrame = indices.upperBound
        }
        let statistics = buffer.statistics
        #expect(statistics.framesReleased == frames.count)
        #expect(statistics.framesReleased + statistics.incompleteFramesDropped + statistics.framesDroppedWaitingForKeyframe
                + entirelyLost == stream.frameCount)
        #expect(statistics.malformedFramesDropped == 0 && statistics.overflowFramesDropped == 0)
        #expect(statistics.duplicatePackets > 0)
        if scenario.nackDelay > .zero {
            // Waiting out the reorder depth (50 ms) and the retransmission time spares needless
            // retransmissions: without that these runs see 200-250 duplicates; ~15 are the filter's own.
            #expect(statistics.duplicatePackets < 40, "\(statistics.duplicatePackets) duplicates")
        }
        #expect(statistics.packetsReordered > 0)

        // Unrecoverable loss raised a keyframe request, and decoding went on at a later keyframe.
        if framesWithLoss > 0 {
            #expect(keyframeRequests > 0)
            #expect(statistics.keyframesReleased > 1)
        } else {
            #expect(keyframeRequests == 0)
        }
        #expect(Double(frames.count) >= scenario.minimumReleased * Double(stream.frameCount),
                "released \(frames.count) of \(stream.frameCount)")
        if scenario.retransmits { #expect(statistics.packetsRecovered > 0) }
    }
}
