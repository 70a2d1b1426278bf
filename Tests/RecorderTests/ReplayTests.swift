import Compositor
import Foundation
import MediaEncode
import MediaTypes
import RTP
import TestSupport
import Testing
@testable import Recorder

/// Replays of recorded meetings, checked the way a user would: decode the composite file and
/// look at the tiles and listen to the mix.
@Suite struct ReplayTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    func replay(_ sources: [DumpSource], canvas: (Int, Int) = (640, 360), codec: MediaEncode.VideoCodec = .h264,
                payloadTypes: PayloadTypeMap = PayloadTypeMap()) throws -> (Replay.Summary, DecodedMedia) {
        let folder = NSTemporaryDirectory() + "tessera-replay-\(UUID().uuidString.prefix(8))"
        let output = RecordingOutput(path: "\(folder)/meeting.\(codec.fileExtension)",
                                     video: VideoEncoderSettings(codec: codec, width: canvas.0, height: canvas.1, fps: 15))
        let summary = try Replay(sources: sources, payloadTypes: payloadTypes, settings: CompositeSettings(output: output)).run()
        return (summary, try MediaFileReader.decode(output.path))
    }

    /// The tile rectangles the grid gives `count` participants on `canvas`.
    func tiles(_ count: Int, canvas: (Int, Int)) -> [PixelRect] {
        let roster = (0..<count).map { RosterEntry(id: ParticipantID("\($0)"), joinedAt: .zero, sourceSize: PixelSize(width: 320, height: 180)) }
        return Layouts.grid(roster, PixelSize(width: canvas.0, height: canvas.1), LayoutOptions()).map(\.picture)
    }

    @Test func twoJanusParticipantsAppearInTheirTilesWithTheirTones() throws {
        let (summary, media) = try replay(try DumpSource.open(["\(Self.fixtures)/mjr"]))
        #expect(summary.participants == 2)
        #expect(summary.videoFramesDropped == 0)
        #expect(abs(summary.mediaDuration.seconds - 3) < 0.3)
        let rects = tiles(2, canvas: (640, 360))
        for second in [0.5, 1.3, 2.5] {
            let frame = try #require(media.videoFrames.first { $0.timestamp.seconds >= second })
            let patterns = rects.map { TestbedPattern(frame: frame, x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
            let shown = patterns.filter { !$0.isFlash }
            #expect(Set(shown.map(\.participantIndex)).isSubset(of: [0, 1]))
            #expect(Set(shown.map(\.nearestPaletteIndex)) == Set(shown.map(\.participantIndex)), "at \(second) s")
            // The tile shows the picture due now: its frame counter is the sender's frame at this time.
            for pattern in shown {
                #expect(abs(Double(pattern.frameCounter) - second * 15) <= 3, "at \(second) s the tile shows frame \(pattern.frameCounter)")
            }
        }
        // Both tones are in the mix at the level they were sent (-12 dBFS, upmixed at -3 dB).
        let middle = media.audioSamples[(24_000 * 2)..<(72_000 * 2)]
        for tone in [400.0, 500.0] {
            #expect(abs(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: tone) - 0.25 / 2.squareRoot()) < 0.02)
        }
    }

    @Test func replayingTheSameInputTwiceGivesTheSameFrames() throws {
        let first = try replay(try DumpSource.open(["\(Self.fixtures)/mjr"]), canvas: (320, 180)).1
        let second = try replay(try DumpSource.open(["\(Self.fixtures)/mjr"]), canvas: (320, 180)).1
        try #require(first.videoFrames.count == second.videoFrames.count)
        for (a, b) in zip(first.videoFrames, second.videoFrames) {
            #expect(a.timestamp == b.timestamp)
            #expect(PictureMetrics.lumaPSNR(a, b) == .infinity)
        }
        #expect(first.audioSamples == second.audioSamples)
    }

    @Test func audioOnlyInputGivesPlaceholderTilesAndTheSound() throws {
        let (summary, media) = try replay(try DumpSource.open(["\(Self.fixtures)/mjr/vp8-audio.mjr"]))
        #expect(summary.participants == 1)
        let frame = try #require(media.videoFrames.dropFirst(15).first)
        let rect = tiles(1, canvas: (640, 360))[0]
        // The placeholder's flat grey, not a picture.
        #expect(abs(PictureMetrics.mean(frame, .y, x: rect.x + rect.width / 4, y: rect.y + rect.height / 4, width: rect.width / 2, height: rect.height / 2) - 48) < 3)
        let middle = media.audioSamples[(24_000 * 2)..<(72_000 * 2)]
        #expect(SoundMetrics.toneAmplitude(middle, channels: 2, frequency: 400) > 0.15)
    }

    @Test func videoOnlyInputGivesSilence() throws {
        let (_, media) = try replay(try DumpSource.open(["\(Self.fixtures)/mjr/h264-video.mjr"]), codec: .vp8)
        #expect(media.streams.map(\.codecName) == ["vp8", "opus"])
        #expect(media.videoFrames.count >= 40)
        #expect(SoundMetrics.rms(media.audioSamples[...], channels: 2) < 0.001)
    }

    @Test func inputWithNothingDecodableIsAClearErrorAndNoFile() throws {
        let folder = NSTemporaryDirectory() + "tessera-replay-\(UUID().uuidString.prefix(8))"
        let output = RecordingOutput(path: "\(folder)/meeting.mp4", video: VideoEncoderSettings(width: 320, height: 180))
        // Opus RTP with payload type 97, which nothing names without the SDP.
        let sources = try DumpSource.open(["\(Self.fixtures)/pcap/opus.pcap"])
        #expect {
            try Replay(sources: sources, payloadTypes: PayloadTypeMap(), settings: CompositeSettings(output: output)).run()
        } throws: { error in
            "\(error)".contains("101 of unknown payload type") && "\(error)".contains("--sdp")
        }
        #expect(!FileManager.default.fileExists(atPath: output.path))
        // An empty input.
        let empty = DumpSource(name: "empty", datagrams: [])
        #expect(throws: ReplayError.self) {
            try Replay(sources: [empty], payloadTypes: PayloadTypeMap(), settings: CompositeSettings(output: output)).run()
        }
    }

    @Test func aTruncatedRecordingReplaysWhatItHolds() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/mjr/vp8-video.mjr")))
        let folder = NSTemporaryDirectory() + "tessera-truncated-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/cut-video.mjr"
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
        let (_, media) = try replay(try DumpSource.open([path]))
        let seconds = try #require(media.videoFrames.last).timestamp.seconds
        #expect(seconds > 0.5 && seconds < 2.5, "half the recording: \(seconds) s")
    }
}
