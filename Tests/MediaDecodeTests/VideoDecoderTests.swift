import Foundation
import MediaDecode
import MediaTypes
import Testing

@Suite struct VideoDecoderTests {
    let folder: String = {
        let folder = NSTemporaryDirectory() + "tessera-decode-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    @Test(arguments: [Codec.vp8, .h264])
    func decodesEveryFrameExactlyAsFFmpegDoes(codec: Codec) throws {
        let (frames, reference) = try ReferenceStreams.video(codec: codec, size: "320x240", count: 30, gop: 10, in: folder)
        try #require(frames.count == 30)
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: codec)
        var pictures: [VideoFrame] = []
        for frame in frames {
            #expect(decoder.decode(frame) { pictures.append($0) } == .decoded)
        }
        try #require(pictures.count == 30)
        for (index, picture) in pictures.enumerated() {
            #expect(picture.width == 320 && picture.height == 240)
            #expect(picture.timestamp == MediaTime(value: Int64(index) * 3000, timescale: 90_000))
            let expected = ReferenceStreams.planes(of: reference, index: index, width: 320, height: 240)
            #expect(picture.packedPlanes().elementsEqual(expected.map(Array.init)), "frame \(index) differs from FFmpeg's decoding")
        }
        #expect(decoder.statistics.keyframeRequests == 0)
    }

    /// H.264 in 4:4:4 (High 4:4:4 Predictive) decodes to 4:4:4 pictures, which the decoder
    /// converts to I420 with swscale's bilinear filter, as FFmpeg's own conversion does.
    @Test func convertsOtherPixelFormatsToI420() throws {
        let (frames, reference) = try ReferenceStreams.video(codec: .h264, size: "160x120", count: 5, gop: 5, pixelFormat: "yuv444p", in: folder)
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: .h264)
        var pictures: [VideoFrame] = []
        for frame in frames { #expect(decoder.decode(frame) { pictures.append($0) } == .decoded) }
        try #require(pictures.count == 5)
        for (index, picture) in pictures.enumerated() {
            let expected = ReferenceStreams.planes(of: reference, index: index, width: 160, height: 120)
            #expect(picture.packedPlanes().elementsEqual(expected.map(Array.init)), "frame \(index) differs from FFmpeg's conversion")
        }
    }

    @Test(arguments: [Codec.vp8, .h264])
    func joinsMidStreamAtTheNextKeyframe(codec: Codec) throws {
        let (frames, reference) = try ReferenceStreams.video(codec: codec, size: "160x120", count: 25, gop: 10, in: folder)
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: codec)
        var outcomes: [VideoDecoder.Outcome] = []
        var pictures: [VideoFrame] = []
        for frame in frames[3...] { outcomes.append(decoder.decode(frame) { pictures.append($0) }) }
        // Frames 3...9 are deltas without their keyframe: each asks for one; 10 on decode.
        #expect(outcomes.prefix(7).allSatisfy { $0 == .requestKeyframe })
        #expect(outcomes.dropFirst(7).allSatisfy { $0 == .decoded })
        #expect(decoder.statistics.droppedAwaitingKeyframe == 7)
        try #require(pictures.count == 15)
        let expected = ReferenceStreams.planes(of: reference, index: 10, width: 160, height: 120)
        #expect(pictures[0].packedPlanes().elementsEqual(expected.map(Array.init)))
    }

    @Test func aDamagedFrameStopsDecodingUntilTheNextKeyframe() throws {
        let (frames, _) = try ReferenceStreams.video(codec: .vp8, size: "160x120", count: 20, gop: 10, in: folder)
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: .vp8)
        var damaged = frames
        damaged[4].data = Array(damaged[4].data.prefix(3))   // a truncated delta frame
        var outcomes: [VideoDecoder.Outcome] = []
        for frame in damaged { outcomes.append(decoder.decode(frame) { _ in }) }
        #expect(outcomes[0..<4].allSatisfy { $0 == .decoded })
        #expect(outcomes[4..<10].allSatisfy { $0 == .requestKeyframe })
        #expect(outcomes[10...].allSatisfy { $0 == .decoded })
        #expect(decoder.statistics.decodeErrors == 1)
    }

    @Test func followsAResolutionChange() throws {
        let (small, _) = try ReferenceStreams.video(codec: .vp8, size: "160x120", count: 5, gop: 5, in: folder)
        let (large, _) = try ReferenceStreams.video(codec: .vp8, size: "320x180", count: 5, gop: 5, in: folder)
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: .vp8)
        var sizes: [String] = []
        for frame in small + large { _ = decoder.decode(frame) { sizes.append("\($0.width)x\($0.height)") } }
        #expect(sizes == Array(repeating: "160x120", count: 5) + Array(repeating: "320x180", count: 5))
        #expect(decoder.statistics.sizeChanges == 1)
    }

    @Test(arguments: [Codec.vp8, .h264])
    func garbageNeverCrashesAndAsksForAKeyframe(codec: Codec) throws {
        let decoder = try VideoDecoder(track: TrackID("camera"), codec: codec)
        var generator = SystemRandomNumberGenerator()
        var outcomes = 0
        for length in [0, 1, 2, 3, 10, 100, 1000] {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let frame = EncodedFrame(track: TrackID("camera"), codec: codec, data: data, timestamp: .zero, isKeyframe: true)
            if decoder.decode(frame, receive: { _ in }) == .requestKeyframe { outcomes += 1 }
        }
        #expect(outcomes >= 1)
    }
}
