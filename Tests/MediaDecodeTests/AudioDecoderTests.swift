import Foundation
import MediaDecode
import MediaTypes
import TestSupport
import Testing

@Suite struct AudioDecoderTests {
    @Test func decodesOpusIntoTimedBlocksOfTheTone() throws {
        let folder = NSTemporaryDirectory() + "tessera-opus-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let packets = try ReferenceStreams.opus(frequency: 600, seconds: 2, in: folder)
        try #require(packets.count >= 100)
        let decoder = try AudioDecoder(track: TrackID("microphone"))
        var blocks: [AudioBlock] = []
        for packet in packets { #expect(decoder.decode(packet) { blocks.append($0) }) }
        #expect(blocks.count == packets.count)
        for (block, packet) in zip(blocks, packets) {
            #expect(block.timestamp == packet.timestamp)
            #expect(block.frameCount == 960)
            #expect(block.channels == 2)
        }
        let samples = blocks.flatMap(\.samples)
        let middle = samples[(24_000 * 2)..<(72_000 * 2)]
        // FFmpeg's sine source peaks at 1/8 of full scale; its mono-to-stereo upmix is -3 dB.
        #expect(abs(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: 600) - 0.125 / 2.squareRoot()) < 0.005)
        #expect(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: 900) < 0.005)
    }

    @Test func garbagePacketsAreCountedNotFatal() throws {
        let decoder = try AudioDecoder(track: TrackID("microphone"))
        var blocks = 0
        for data in [[], [0xFF], [UInt8](repeating: 0xFC, count: 4), (0..<300).map { UInt8($0 & 0xFF) }] as [[UInt8]] {
            decoder.decode(EncodedFrame(track: TrackID("microphone"), codec: .opus, data: data, timestamp: .zero, isKeyframe: true)) { _ in blocks += 1 }
        }
        #expect(decoder.statistics.packetsIn == 4)
        #expect(decoder.statistics.decodeErrors + blocks >= 4)
    }
}
