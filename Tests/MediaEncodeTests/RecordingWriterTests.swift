import Foundation
import MediaEncode
import MediaTypes
import SyntheticMedia
import TestSupport
import Testing

/// Encodes the synthetic picture and tone, decodes the files back the way a player would, and
/// checks what a user would: streams, sizes, frame count and times, sound, picture quality.
extension MediaEncodeSuite {
    @Suite struct RecordingWriterTests {
        init() { captureFFmpegWarnings() }

        @Test(arguments: [VideoCodec.h264, .vp8])
        func compositeFileDecodesToTheSourcePictureAndTone(codec: VideoCodec) throws {
            let path = temporaryFolder() + "/meeting.\(codec.fileExtension)"
            let video = VideoEncoderSettings(codec: codec, width: 640, height: 360, fps: 30)
            try encodeSynthetic(RecordingOutput(path: path, video: video), seconds: 2)

            let media = try MediaFileReader.decode(path)
            try #require(media.streams.count == 2)
            #expect(media.streams[0].codecName == (codec == .h264 ? "h264" : "vp8"))
            #expect(media.streams[1].codecName == (codec == .h264 ? "aac" : "opus"))
            #expect(media.streams[0].width == 640 && media.streams[0].height == 360)
            #expect(media.streams[1].sampleRate == 48_000 && media.streams[1].channels == 2)

            // Every frame, in order, one frame apart, and the whole lasting 2 s within one frame.
            try #require(media.videoFrames.count == 60)
            let times = media.videoFrames.map(\.timestamp.seconds)
            #expect(abs(times[0]) < 0.011)
            for (earlier, later) in zip(times, times.dropFirst()) {
                #expect(abs(later - earlier - 1.0 / 30) < 0.002)
            }
            #expect(abs(times[59] + 1.0 / 30 - 2.0) <= 1.0 / 30)
            if let duration = media.formatDuration { #expect(abs(duration - 2.0) <= 1.0 / 30) }

            // Audio: 2 s of samples within one codec frame, the 400 Hz tone at its level, nothing else.
            let codecFrame = codec == .h264 ? 1024 : 960
            #expect(abs(media.audioFrameCount - 96_000) <= codecFrame)
            let middle = media.audioSamples[(24_000 * 2)..<(72_000 * 2)]
            #expect(abs(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: Double(testTone.frequency)) - 0.25) < 0.02)
            #expect(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: 700) < 0.01)

            // The picture is the one that was encoded.
            let source = VideoFrame(width: 640, height: 360)
            var lowest = Double.infinity
            for (index, decoded) in media.videoFrames.enumerated() {
                testPicture.render(frameIndex: index, fps: 30, into: source)
                lowest = min(lowest, PictureMetrics.lumaPSNR(source, decoded))
            }
            #expect(lowest > 35, "lowest luma PSNR \(lowest) dB")
            #expect(ffmpegWarnings.withLock { $0 } == [])
        }

        @Test func cleanFinishPutsTheMP4IndexInFront() throws {
            let path = temporaryFolder() + "/meeting.mp4"
            try encodeSynthetic(RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180)), seconds: 1)
            let boxes = try topLevelBoxes(path)
            #expect(boxes.prefix(2) == ["ftyp", "moov"])
            #expect(!boxes.contains("moof"))
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["meeting.mp4"])
        }

        @Test func unfinishedMP4IsFragmentedAndPlaysUpToTheLastFragment() throws {
            let path = temporaryFolder() + "/meeting.mp4"
            let writer = try encodeSynthetic(RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180)), seconds: 5, finish: false)
            let boxes = try topLevelBoxes(path)
            #expect(boxes.contains("moof"))
            let media = try MediaFileReader.decode(path, keepPixels: false)
            let lastFrame = try #require(media.videoFrames.last).timestamp.seconds
            #expect(lastFrame >= 3.0 - 1.0 / 30, "a fragment at least every 2 s: last frame at \(lastFrame) s of 5 s")
            withExtendedLifetime(writer) {}
        }

        @Test(arguments: [(VideoCodec.h264, AudioCodec.aac), (.vp8, .mp3), (.h264, .mp3), (.vp8, .aac)])
        func separateAudioFileHoldsTheMix(codec: VideoCodec, audio: AudioCodec) throws {
            let folder = temporaryFolder()
            let audioPath = folder + "/meeting.\(audio.audioFileExtension)"
            let output = RecordingOutput(
                path: folder + "/meeting.\(codec.fileExtension)", video: VideoEncoderSettings(codec: codec, width: 320, height: 180),
                audioExport: .init(codec: audio, path: audioPath))
            try encodeSynthetic(output, seconds: 2)

            let media = try MediaFileReader.decode(audioPath)
            try #require(media.streams.count == 1)
            #expect(media.streams[0].codecName == (audio == .aac ? "aac" : "mp3"))
            #expect(abs(media.audioFrameCount - 96_000) <= 1152)
            let middle = media.audioSamples[(24_000 * 2)..<(72_000 * 2)]
            #expect(abs(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: Double(testTone.frequency)) - 0.25) < 0.02)
            #expect(ffmpegWarnings.withLock { $0 } == [])
        }

        @Test func audioGapsBecomeSilenceAndOverlapsAreCut() throws {
            let path = temporaryFolder() + "/meeting.mp4"
            let writer = try RecordingWriter(output: RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180), audioChannels: 1))
            let frame = VideoFrame(width: 320, height: 180)
            frame.fill(y: 128, u: 128, v: 128)
            for index in 0..<60 {
                frame.timestamp = MediaTime(value: Int64(index), timescale: 30)
                try writer.write(video: frame)
            }
            // Tone for 0.5 s, a 0.5 s gap, then 1 s of tone whose first 0.1 s overlaps what was written.
            try writer.write(audio: testTone.block(start: 0, count: 24_000, channels: 1))
            try writer.write(audio: testTone.block(start: 48_000, count: 48_000, channels: 1))
            try writer.write(audio: testTone.block(start: 91_200, count: 4_800, channels: 1))
            try writer.finish()
            #expect(writer.statistics.audioSilenceInserted == 24_000)
            #expect(writer.statistics.audioSamplesDropped == 4_800)

            let media = try MediaFileReader.decode(path)
            let gap = media.audioSamples[26_000..<46_000]
            #expect(SoundMetrics.rms(gap, channels: 1) < 0.005)
            let toneAfter = media.audioSamples[50_000..<90_000]
            #expect(abs(SoundMetrics.toneAmplitude(toneAfter, channels: 1, frequency: Double(testTone.frequency)) - 0.25) < 0.02)
        }

        @Test func framesOnAnAlreadyWrittenSlotAreDropped() throws {
            let path = temporaryFolder() + "/meeting.webm"
            let writer = try RecordingWriter(output: RecordingOutput(path: path, video: VideoEncoderSettings(codec: .vp8, width: 160, height: 90, fps: 10)))
            let frame = VideoFrame(width: 160, height: 90)
            frame.fill(y: 100, u: 120, v: 140)
            for milliseconds in [0, 100, 120, 200, 190, 300] as [Int64] {
                frame.timestamp = .milliseconds(milliseconds)
                try writer.write(video: frame)
            }
            try writer.finish()
            #expect(writer.statistics.videoFramesWritten == 4)
            #expect(writer.statistics.videoFramesDropped == 2)
            #expect(try MediaFileReader.decode(path, keepPixels: false).videoFrames.count == 4)
        }
    }
}
