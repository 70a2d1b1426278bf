import TestSupport
@testable import RTP

/// A VP8 RTP stream built by hand: frame `i` spans `packetsPerFrame(i)` packets, every
/// `keyframeInterval`-th frame is a keyframe, and each frame's bytes name the frame, so tests
/// can check exactly which frames came out and that they are whole.
struct SyntheticVP8Stream {
    var frameCount: Int
    var keyframeInterval: Int
    var firstSequenceNumber: UInt16
    var firstTimestamp: UInt32
    var timestampStep: UInt32 = 3000
    var ssrc: UInt32 = 0x5EED
    var packetsPerFrame: (Int) -> Int = { $0 % 3 + 1 }

    func isKeyframe(_ frame: Int) -> Bool { frame % keyframeInterval == 0 }

    /// The frame bytes a correct depacketizer produces for `frame`: the VP8 frame tag (P bit
    /// clear for a keyframe), the frame number, then one byte per packet.
    func expectedData(_ frame: Int) -> [UInt8] {
        [isKeyframe(frame) ? 0x00 : 0x01, UInt8(frame >> 8), UInt8(frame & 0xFF)]
            + (0..<packetsPerFrame(frame)).map { UInt8($0) }
    }

    var packets: [RTPPacket] {
        var packets: [RTPPacket] = []
        var sequenceNumber = firstSequenceNumber
        for frame in 0..<frameCount {
            let count = packetsPerFrame(frame)
            let data = expectedData(frame)
            for index in 0..<count {
                let descriptor = VP8PayloadDescriptor(startOfPartition: index == 0, pictureID: .long(UInt16(frame & 0x7FFF)))
                let chunk = index == 0 ? Array(data.prefix(4)) : [data[3 + index]]
                packets.append(RTPPacket(
                    payloadType: 96, sequenceNumber: sequenceNumber,
                    timestamp: firstTimestamp &+ UInt32(frame) &* timestampStep, ssrc: ssrc,
                    marker: index == count - 1, payload: descriptor.serialized() + chunk))
                sequenceNumber &+= 1
            }
        }
        return packets
    }

    /// The frame number written into a frame's bytes.
    static func frameNumber(_ data: [UInt8]) -> Int? {
        guard data.count >= 3 else { return nil }
        return Int(data[1]) << 8 | Int(data[2])
    }
}

/// Deterministic network impairment: loss, reordering within a depth, duplication.
struct ImpairmentFilter {
    var lossRate: Double
    var reorderDepth: Int
    var duplicationRate: Double
    var generator: SeededGenerator

    /// The packets in the order they arrive: each is lost, or delivered up to `reorderDepth`
    /// positions late, sometimes twice.
    mutating func apply(_ packets: [RTPPacket]) -> [RTPPacket] {
        var scheduled: [(key: Int, order: Int, packet: RTPPacket)] = []
        for (index, packet) in packets.enumerated() {
            if Double.random(in: 0..<1, using: &generator) < lossRate { continue }
            scheduled.append((index + Int.random(in: 0...reorderDepth, using: &generator), scheduled.count, packet))
            if Double.random(in: 0..<1, using: &generator) < duplicationRate {
                scheduled.append((index + Int.random(in: 0...reorderDepth, using: &generator), scheduled.count, packet))
            }
        }
        return scheduled.sorted { ($0.key, $0.order) < ($1.key, $1.order) }.map(\.packet)
    }
}
