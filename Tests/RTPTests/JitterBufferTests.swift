import TestSupport
import MediaTypes
import Testing
@testable import RTP

@Suite struct JitterBufferTests {
    static let track = TrackID("camera")

    static func buffer(window: JitterBuffer.Configuration.ReorderWindow = .packets(30), capacity: Int = 2048) -> JitterBuffer {
        JitterBuffer(track: track, depacketizer: VP8Depacketizer(),
                     configuration: .init(reorderWindow: window, keyframeRetryInterval: .zero, capacity: capacity))
    }

    static func tick(_ index: Int) -> MediaTime { .milliseconds(Int64(index) * 10) }

    /// Inserts in order, draining after each packet; returns the released frame numbers.
    static func run(_ buffer: inout JitterBuffer, _ packets: [RTPPacket]) -> [EncodedFrame] {
        var frames: [EncodedFrame] = []
        for (index, packet) in packets.enumerated() {
            buffer.insert(packet, arrival: tick(index))
            frames += buffer.drain(now: tick(index))
        }
        return frames + buffer.finish(now: tick(packets.count))
    }

    @Test func releasesFramesAcrossSequenceAndTimestampWrap() {
        let stream = SyntheticVP8Stream(frameCount: 40, keyframeInterval: 10, firstSequenceNumber: 65_500,
                                        firstTimestamp: UInt32.max - 30_000)
        var buffer = Self.buffer()
        let frames = Self.run(&buffer, stream.packets)
        #expect(frames.map { SyntheticVP8Stream.frameNumber($0.data) } == Array(0..<40))
        #expect(frames.map(\.data) == (0..<40).map(stream.expectedData))
        #expect(frames.map(\.isKeyframe) == (0..<40).map(stream.isKeyframe))
        // The timestamp keeps counting past 2^32: frame i is at first + 3000 i on the 90 kHz clock.
        #expect(frames.map(\.timestamp) == (0..<40).map {
            MediaTime(value: Int64(UInt32.max - 30_000) + 3000 * Int64($0), timescale: 90_000)
        })
        #expect(frames.allSatisfy { $0.track == Self.track && $0.codec == .vp8 })
        #expect(buffer.statistics.framesReleased == 40)
        #expect(buffer.statistics.keyframeRequests == 0)
        #expect(buffer.bufferedPacketCount == 0)
    }

    @Test func reorderedAndDuplicatedPacketsStillMakeEveryFrame() {
        let stream = SyntheticVP8Stream(frameCount: 30, keyframeInterval: 10, firstSequenceNumber: 100, firstTimestamp: 0)
        var packets = stream.packets
        packets.swapAt(3, 5)
        packets.swapAt(10, 11)
        packets.insert(packets[7], at: 9)
        packets.append(packets[0])  // long after its frame left: still a duplicate
        var buffer = Self.buffer()
        let frames = Self.run(&buffer, packets)
        #expect(frames.map(\.data) == (0..<30).map(stream.expectedData))
        #expect(buffer.statistics.duplicatePackets == 2)
        #expect(buffer.statistics.packetsReordered == 3)  // 4 and 3 after 5; 10 after 11
        #expect(buffer.statistics.latePackets == 0)
        #expect(buffer.statistics.packetsLost == 0)
    }

    @Test func lossDropsTheFrameRequestsAKeyframeAndResumesThere() {
        let stream = SyntheticVP8Stream(frameCount: 25, keyframeInterval: 10, firstSequenceNumber: 0, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 2 })
        var packets = stream.packets
        let lost = packets.remove(at: 7)  // second packet of frame 3
        #expect(lost.sequenceNumber == 7)
        var buffer = Self.buffer(window: .packets(4))
        var frames: [EncodedFrame] = []
        var nacks: [UInt16] = []
        var keyframeRequestedAt: [Int] = []
        for (index, packet) in packets.enumerated() {
            buffer.insert(packet, arrival: Self.tick(index))
            nacks += buffer.nackList(now: Self.tick(index))
            frames += buffer.drain(now: Self.tick(index))
            if buffer.takeKeyframeRequest() { keyframeRequestedAt.append(index) }
        }
        // Frames 0-2 out, frame 3 incomplete, 4-9 held back as deltas, from keyframe 10 on again.
        #expect(frames.compactMap { SyntheticVP8Stream.frameNumber($0.data) } == [0, 1, 2] + Array(10..<25))
        #expect(nacks == [7])
        #expect(buffer.statistics.incompleteFramesDropped == 1)
        #expect(buffer.statistics.packetsLost == 1)
        #expect(buffer.statistics.framesDroppedWaitingForKeyframe == 6)
        // Once at the loss (frames 4 and 5 are held back in the same drain), then once per held-back delta.
        #expect(buffer.statistics.keyframeRequests == 5)
        // Seq 8 revealed the hole; window 4 gives it up when seq 11 arrives (list index 10).
        #expect(keyframeRequestedAt.first == 10)
        #expect(!buffer.isWaitingForKeyframe)
    }

    @Test func retransmissionFillsTheHole() {
        let stream = SyntheticVP8Stream(frameCount: 10, keyframeInterval: 10, firstSequenceNumber: 0, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 2 })
        var packets = stream.packets
        let lost = packets.remove(at: 7)
        packets.insert(lost, at: 10)
        var buffer = Self.buffer(window: .packets(5))
        var frames: [EncodedFrame] = []
        for (index, packet) in packets.enumerated() {
            buffer.insert(packet, arrival: Self.tick(index), retransmitted: index == 10)
            frames += buffer.drain(now: Self.tick(index))
        }
        #expect(frames.map(\.data) == (0..<10).map(stream.expectedData))
        #expect(buffer.statistics.packetsRecovered == 1)
        #expect(buffer.statistics.packetsLost == 0)
        let keyframeRequested = buffer.takeKeyframeRequest()
        #expect(!keyframeRequested)
    }

    @Test func packetsAfterTheWindowAreLate() {
        let stream = SyntheticVP8Stream(frameCount: 10, keyframeInterval: 5, firstSequenceNumber: 0, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 1 })
        var packets = stream.packets
        let lost = packets.remove(at: 2)
        packets.append(lost)
        var buffer = Self.buffer(window: .packets(3))
        let frames = Self.run(&buffer, packets)
        #expect(frames.compactMap { SyntheticVP8Stream.frameNumber($0.data) } == [0, 1, 5, 6, 7, 8, 9])
        #expect(buffer.statistics.latePackets == 1)
        #expect(buffer.statistics.packetsLost == 1)
    }

    @Test func insertSaysWhatItDidWithEachPacket() {
        let stream = SyntheticVP8Stream(frameCount: 8, keyframeInterval: 4, firstSequenceNumber: 10, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 1 })
        let packets = stream.packets
        var buffer = Self.buffer(window: .packets(2))
        var dispositions: [JitterBuffer.Disposition] = []
        for index in [0, 0, 2, 3, 4, 1, 3] {
            dispositions.append(buffer.insert(packets[index], arrival: Self.tick(index)))
            _ = buffer.drain(now: Self.tick(index))
        }
        // Seq 11 comes after the window (2 packets) gave it up; 13 again after its release.
        #expect(dispositions == [.buffered, .duplicate, .buffered, .buffered, .buffered, .late, .duplicate])
    }

    @Test func timeWindowGivesUpWithoutFurtherPackets() {
        let packets = (0..<4).map {
            RTPPacket(payloadType: 111, sequenceNumber: UInt16($0), timestamp: UInt32($0) * 960, ssrc: 1, marker: $0 == 0,
                      payload: [0xF8, UInt8($0)])
        }
        var buffer = JitterBuffer(track: TrackID("mic"), depacketizer: OpusDepacketizer(),
                                  configuration: .init(reorderWindow: .time(.milliseconds(200))))
        buffer.insert(packets[0], arrival: .milliseconds(0))
        buffer.insert(packets[1], arrival: .milliseconds(20))
        buffer.insert(packets[3], arrival: .milliseconds(60))
        let onTime = buffer.drain(now: .milliseconds(60))
        #expect(onTime.map(\.data) == [[0xF8, 0], [0xF8, 1]])
        let nacks = [60, 100, 160].map { buffer.nackList(now: .milliseconds($0)) }
        #expect(nacks == [[2], [], [2]])  // the second is within the retry interval
        let early = buffer.drain(now: .milliseconds(259))
        #expect(early.isEmpty)
        let late = buffer.drain(now: .milliseconds(260))
        #expect(late.map(\.data) == [[0xF8, 3]])
        #expect(late.first?.timestamp == MediaTime(value: 2880, timescale: 48_000))
        #expect(buffer.statistics.packetsLost == 1)
        let keyframeRequested = buffer.takeKeyframeRequest()
        #expect(!keyframeRequested)  // audio goes on without keyframes
        let nacksAfterGivingUp = buffer.nackList(now: .milliseconds(400))
        #expect(nacksAfterGivingUp.isEmpty)
    }

    @Test func nacksAreBoundedPerPacket() {
        var buffer = JitterBuffer(track: Self.track, depacketizer: OpusDepacketizer(),
                                  configuration: .init(reorderWindow: .time(.seconds(10)), maxNACKsPerPacket: 3,
                                                       nackRetryInterval: .milliseconds(100)))
        for sequence: UInt16 in [65_534, 1] {  // 65535 and 0 are missing across the wrap
            buffer.insert(RTPPacket(payloadType: 111, sequenceNumber: sequence, timestamp: 0, ssrc: 1, payload: [1]),
                          arrival: .zero)
        }
        var sent: [[UInt16]] = []
        for step in 0..<6 { sent.append(buffer.nackList(now: .milliseconds(Int64(step) * 100))) }
        #expect(sent == [[65_535, 0], [65_535, 0], [65_535, 0], [], [], []])
    }

    @Test func streamStartingMidFrameWaitsForAKeyframe() {
        let stream = SyntheticVP8Stream(frameCount: 12, keyframeInterval: 6, firstSequenceNumber: 0, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 2 })
        var buffer = Self.buffer(window: .packets(5))
        // Joined late: the first packet seen is the second of frame 1. Frame 2 arrives before
        // frame 1's tail would matter, and the first frame must not be released headless.
        let frames = Self.run(&buffer, Array(stream.packets.dropFirst(3)))
        #expect(frames.compactMap { SyntheticVP8Stream.frameNumber($0.data) } == Array(6..<12))
        #expect(buffer.statistics.incompleteFramesDropped == 1)
        #expect(buffer.statistics.framesDroppedWaitingForKeyframe == 4)
        #expect(buffer.statistics.keyframeRequests >= 1)
    }

    @Test func earlierPacketAtTheStartMovesTheStartBack() {
        let stream = SyntheticVP8Stream(frameCount: 3, keyframeInterval: 10, firstSequenceNumber: 0, firstTimestamp: 0,
                                        packetsPerFrame: { _ in 3 })
        var packets = stream.packets
        packets.swapAt(0, 2)
        var buffer = Self.buffer(window: .packets(5))
        #expect(Self.run(&buffer, packets).map(\.data) == (0..<3).map(stream.expectedData))
        #expect(buffer.statistics.latePackets == 0)
    }

    @Test func overflowDropsTheOldestFrame() {
        // A frame that never ends fills the buffer.
        var buffer = Self.buffer(window: .packets(1000), capacity: 8)
        for index in 0..<20 {
            let descriptor = VP8PayloadDescriptor(startOfPartition: index == 0).serialized()
            buffer.insert(RTPPacket(payloadType: 96, sequenceNumber: UInt16(index), timestamp: 0, ssrc: 1,
                                    payload: descriptor + [0]), arrival: Self.tick(index))
            let frames = buffer.drain(now: Self.tick(index))
            #expect(frames.isEmpty)
        }
        #expect(buffer.bufferedPacketCount <= 8)
        #expect(buffer.statistics.overflowFramesDropped == 1)
        // A jump far beyond the buffer starts over.
        buffer.insert(RTPPacket(payloadType: 96, sequenceNumber: 30_000, timestamp: 9000, ssrc: 1, marker: true,
                                payload: [0x10, 0x00]), arrival: Self.tick(21))
        let afterJump = buffer.drain(now: Self.tick(21))
        #expect(afterJump.map(\.data) == [[0x00]])
        #expect(buffer.statistics.overflowFramesDropped == 1)  // nothing was left to drop
    }

    @Test func malformedFrameIsCountedAndRequestsAKeyframe() {
        var buffer = Self.buffer()
        buffer.insert(RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 1, marker: true, payload: [0x10, 0]),
                      arrival: .zero)
        // S=1 PID=0 descriptor with no VP8 data after it.
        buffer.insert(RTPPacket(payloadType: 96, sequenceNumber: 2, timestamp: 3000, ssrc: 1, marker: true, payload: [0x10]),
                      arrival: .zero)
        let frames = buffer.drain(now: .zero)
        #expect(frames.map(\.data) == [[0]])
        #expect(buffer.statistics.malformedFramesDropped == 1)
        let keyframeRequested = buffer.takeKeyframeRequest()
        #expect(keyframeRequested)
    }

    @Test func realH264GOPShuffledComesOutWhole() throws {
        var generator = SeededGenerator(seed: 7)
        let packets = try realPackets(RealPackets.h264)
        let shuffled = ImpairmentFilter(lossRate: 0, reorderDepth: 5, duplicationRate: 0.2, generator: generator)
        var filter = shuffled
        let delivered = filter.apply(packets)
        generator = filter.generator
        #expect(delivered.map(\.sequenceNumber) != packets.map(\.sequenceNumber))
        var buffer = JitterBuffer(track: Self.track, depacketizer: H264Depacketizer(),
                                  configuration: .init(reorderWindow: .packets(20)))
        let frames = Self.run(&buffer, delivered)
        #expect(frames.map { fnv1a64($0.data) } == H264DepacketizerTests.expectedHashes)
        #expect(frames.map(\.isKeyframe) == [true] + Array(repeating: false, count: 9))
        #expect(frames.map(\.timestamp.value) == (0..<10).map { 1_503_775_903 + 9000 * Int64($0) })
    }

    @Test func realH264LossInTheIDRHoldsBackTheGOP() throws {
        var packets = try realPackets(RealPackets.h264)
        packets.remove(at: 7)  // an IDR fragment
        var buffer = JitterBuffer(track: Self.track, depacketizer: H264Depacketizer(),
                                  configuration: .init(reorderWindow: .packets(5)))
        var nacks: [UInt16] = []
        var frames: [EncodedFrame] = []
        for (index, packet) in packets.enumerated() {
            buffer.insert(packet, arrival: Self.tick(index))
            nacks += buffer.nackList(now: Self.tick(index))
            frames += buffer.drain(now: Self.tick(index))
        }
        frames += buffer.finish(now: Self.tick(packets.count))
        #expect(frames.isEmpty)
        #expect(nacks == [866])
        #expect(buffer.statistics.incompleteFramesDropped == 1)
        #expect(buffer.statistics.framesDroppedWaitingForKeyframe == 9)
        let keyframeRequested = buffer.takeKeyframeRequest()
        #expect(keyframeRequested)
    }

    @Test func realVP8AndOpusPackets() throws {
        var video = JitterBuffer(track: Self.track, depacketizer: VP8Depacketizer())
        let videoFrames = Self.run(&video, try realPackets(RealPackets.vp8).reversed())
        #expect(videoFrames.map { fnv1a64($0.data) } == [0xA442_201A_1F97_119A, 0x6463_FCD8_7C71_B314, 0xEFD5_7A32_197C_9BCD])
        #expect(videoFrames.map(\.isKeyframe) == [true, false, false])
        var audio = JitterBuffer(track: TrackID("mic"), depacketizer: OpusDepacketizer())
        let opus = try realPackets(RealPackets.opus)
        let audioFrames = Self.run(&audio, opus)
        #expect(audioFrames.map(\.data) == opus.map(\.payload))
        #expect(audioFrames.map(\.timestamp) == [3_639_322_281, 3_639_323_241, 3_639_324_201].map {
            MediaTime(value: $0, timescale: 48_000)
        })
    }
}
