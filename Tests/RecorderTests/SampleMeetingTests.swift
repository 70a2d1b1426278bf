import Compositor
import Foundation
import MediaEncode
import MediaTypes
import TestSupport
import Testing
@testable import Recorder

/// The bundled sample meeting (samples/meeting, see its README): participants 0, 1 and 3 from the
/// start, 2 joining at about 4 s, 3 leaving at about 9 s. The composite shows each one in the
/// tile the grid gives it, only while they are in the meeting.
@Suite struct SampleMeetingTests {
    static let meeting = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/meeting").path

    @Test func tilesFollowJoinsAndLeaves() throws {
        let folder = NSTemporaryDirectory() + "tessera-sample-\(UUID().uuidString.prefix(8))"
        let output = RecordingOutput(path: "\(folder)/sample.mp4", video: VideoEncoderSettings(width: 640, height: 360, fps: 24))
        let summary = try Replay(sources: try DumpSource.open([Self.meeting]), payloadTypes: PayloadTypeMap(),
                                 settings: CompositeSettings(output: output)).run()
        #expect(summary.participants == 4)
        #expect(summary.videoFramesDropped == 0)
        let media = try MediaFileReader.decode(output.path)
        #expect(abs(try #require(media.videoFrames.last).timestamp.seconds - 15) < 0.5)

        // Who is where: participants in join order (0 at 0.00 s, 1 at 0.20 s, 3 at 0.22 s, 2 at 3.89 s).
        for (second, expected) in [(1.5, [0, 1, 3]), (6.0, [0, 1, 3, 2]), (8.5, [0, 1, 3, 2]), (12.5, [0, 1, 2])] {
            let roster = expected.map { RosterEntry(id: ParticipantID("\($0)"), joinedAt: .zero, sourceSize: PixelSize(width: 640, height: 360)) }
            let rects = Layouts.grid(roster, PixelSize(width: 640, height: 360), LayoutOptions()).map(\.picture)
            // A frame near that time that is nobody's flash.
            let frame = try #require(media.videoFrames.first { frame in
                frame.timestamp.seconds >= second && rects.allSatisfy { !SyncMeasurement.isFlash(frame, x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
            })
            let shown = rects.map { TestbedPattern(frame: frame, x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
            #expect(shown.map(\.participantIndex) == expected, "at \(second) s")
            #expect(shown.map(\.nearestPaletteIndex) == expected, "colours at \(second) s")
            // Each tile shows the sender's picture of this moment (24 fps counters).
            for pattern in shown {
                #expect(abs(Double(pattern.frameCounter) / 24 - (frame.timestamp.seconds - joinTime(pattern.participantIndex))) < 0.3,
                        "participant \(pattern.participantIndex) at \(second) s shows frame \(pattern.frameCounter)")
            }
        }
        // Every participant's tone is in the mix while they are present, at the level sent.
        let channels = media.audioChannels
        func level(_ frequency: Double, from: Double, to: Double) -> Double {
            SoundMetrics.toneAmplitude(media.audioSamples[(Int(from * 48_000) * channels)..<(Int(to * 48_000) * channels)], channels: channels, frequency: frequency)
        }
        for (index, present) in [(0, (5.0, 6.0)), (1, (5.0, 6.0)), (2, (5.0, 6.0)), (3, (5.0, 6.0))] {
            #expect(abs(level(Double(400 + 100 * index), from: present.0, to: present.1) - 0.25 / 2.squareRoot()) < 0.03, "participant \(index)")
        }
        #expect(level(700, from: 11, to: 12) < 0.005, "participant 3 has left")
        #expect(level(600, from: 1, to: 2) < 0.005, "participant 2 has not joined yet")
    }

    /// Paused from 5 s to 8 s of the meeting: the output is 3 s shorter, its timestamps run on
    /// without a gap, and after the pause every tile shows the picture of 3 s later.
    @Test func aPausedSpanIsCutOutWithoutAGap() throws {
        let folder = NSTemporaryDirectory() + "tessera-sample-\(UUID().uuidString.prefix(8))"
        let output = RecordingOutput(path: "\(folder)/paused.mp4", video: VideoEncoderSettings(width: 640, height: 360, fps: 24))
        let control = RecordingControl()
        let summary = try Replay(sources: try DumpSource.open([Self.meeting]), payloadTypes: PayloadTypeMap(),
                                 settings: CompositeSettings(output: output))
            .run(PipelineOptions(control: control, progress: { progress in
                let time = progress.time
                if time == .seconds(5) { control.setPaused(true) }
                if time == .seconds(8) { control.setPaused(false) }
            }))
        #expect(summary.stopReason == nil)
        let media = try MediaFileReader.decode(output.path)
        let times = media.videoFrames.map(\.timestamp.seconds)
        #expect(abs(try #require(times.last) - 12) < 0.5)
        #expect(zip(times.dropFirst(), times).allSatisfy { $0 - $1 < 0.05 }, "no gap in the timestamps")
        #expect(abs(Double(media.audioFrameCount) / 48_000 - 12) < 0.5)

        // Participant 0 (tile 0 of three) shows its frame of the same moment before the pause
        // and of 3 s later after it.
        let roster = [0, 1, 3].map { RosterEntry(id: ParticipantID("\($0)"), joinedAt: .zero, sourceSize: PixelSize(width: 640, height: 360)) }
        let tile = try #require(Layouts.grid(roster, PixelSize(width: 640, height: 360), LayoutOptions()).first).picture
        for (outputSecond, meetingSecond) in [(3.0, 3.0), (7.0, 10.0)] {
            let frame = try #require(media.videoFrames.first { frame in
                frame.timestamp.seconds >= outputSecond && !SyncMeasurement.isFlash(frame, x: tile.x, y: tile.y, width: tile.width, height: tile.height)
            })
            let pattern = TestbedPattern(frame: frame, x: tile.x, y: tile.y, width: tile.width, height: tile.height)
            #expect(pattern.participantIndex == 0)
            let shows = Double(pattern.frameCounter) / 24 + (frame.timestamp.seconds - outputSecond)
            #expect(abs(shows - meetingSecond) < 0.4, "at output \(outputSecond) s the tile shows \(shows) s of the meeting")
        }
    }

    /// When each participant's media started, from samples/meeting/README.md.
    func joinTime(_ index: Int) -> Double { [0.0, 0.20, 3.89, 0.22][index] }
}
