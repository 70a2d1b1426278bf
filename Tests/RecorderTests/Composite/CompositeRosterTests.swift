import Foundation
import MediaEncode
import MediaTypes
import TestSupport
import Testing
@testable import Recorder

/// Who is in the picture when the meeting's roster speaks too (live): announced participants
/// hold a tile without media, a leave removes the tile at once.
@Suite struct CompositeRosterTests {
    func recording() throws -> CompositeRecording {
        let folder = NSTemporaryDirectory() + "tessera-roster-\(UUID().uuidString.prefix(8))"
        return try CompositeRecording(settings: CompositeSettings(
            output: RecordingOutput(path: "\(folder)/roster.mp4", video: VideoEncoderSettings(width: 320, height: 180, fps: 10))))
    }

    func speak(_ recording: CompositeRecording, _ participant: ParticipantID, from: Int, to: Int) {
        for tenth in from..<to {
            recording.add(audio: AudioBlock(channels: 1, timestamp: .zero, samples: Array(repeating: 0.1, count: 4800)),
                          from: participant, at: .milliseconds(Int64(tenth) * 100))
        }
    }

    @Test func anAnnouncedParticipantWithoutMediaKeepsATileUntilTheyLeave() throws {
        let recording = try recording()
        let (a, b) = (ParticipantID("a"), ParticipantID("b"))
        recording.announce(a, at: .milliseconds(-300))
        speak(recording, b, from: 0, to: 100)
        #expect(recording.roster(at: .seconds(1)) == [a, b])
        // Long past the leave grace without any media of theirs: still in the meeting.
        #expect(recording.roster(at: .seconds(8)) == [a, b])
        recording.remove(a, at: .seconds(8))
        #expect(recording.roster(at: .milliseconds(8100)) == [b])
        try recording.render(through: .seconds(9))
        #expect(try recording.finish().count == 1)
    }

    @Test func aLeaveRemovesTheTileAtOnceAndLaterMediaBringsThemBack() throws {
        let recording = try recording()
        let (a, b) = (ParticipantID("a"), ParticipantID("b"))
        speak(recording, a, from: 0, to: 50)
        speak(recording, b, from: 0, to: 100)
        recording.remove(a, at: .seconds(3))
        // Without the leave, a would stay until 5 s + the 2 s grace.
        #expect(recording.roster(at: .milliseconds(2900)) == [a, b])
        #expect(recording.roster(at: .seconds(3)) == [b])
        speak(recording, a, from: 60, to: 80)
        #expect(recording.roster(at: .milliseconds(6500)).contains(a))
    }

    /// The speaker layout in the file: whoever talks is large, the other in the strip; the
    /// floor changes hands when the other talks (after the hold).
    @Test func theSpeakerLayoutShowsWhoIsTalking() throws {
        let folder = NSTemporaryDirectory() + "tessera-speaker-\(UUID().uuidString.prefix(8))"
        let path = "\(folder)/speaker.mp4"
        let recording = try CompositeRecording(settings: CompositeSettings(
            output: RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180, fps: 10)), layoutKind: .speaker))
        let (a, b) = (ParticipantID("a"), ParticipantID("b"))
        let lumas: [ParticipantID: UInt8] = [a: 60, b: 200]
        for tenth in 0..<60 {
            let time = MediaTime.milliseconds(Int64(tenth) * 100)
            for participant in [a, b] {
                let frame = VideoFrame(width: 320, height: 180)
                frame.fill(y: lumas[participant]!, u: 128, v: 128)
                recording.add(video: frame, from: participant, at: time)
                // a talks for the first 3 s, b after; the other is silent.
                let talking = (participant == a) == (tenth < 30)
                recording.add(audio: AudioBlock(channels: 1, timestamp: .zero, samples: (0..<4800).map { talking ? 0.3 * sin(Float($0) * 0.2) : 0 }),
                              from: participant, at: time)
            }
        }
        try recording.render(through: .milliseconds(5900))
        _ = try recording.finish()
        let media = try MediaFileReader.decode(path)
        func large(at seconds: Double) throws -> Double {
            let frame = try #require(media.videoFrames.first { abs($0.timestamp.seconds - seconds) < 0.05 })
            return PictureMetrics.mean(frame, .y, x: 120, y: 40, width: 80, height: 60)
        }
        #expect(abs(try large(at: 2) - 60) < 4, "a is talking")
        #expect(abs(try large(at: 5.5) - 200) < 4, "b is talking")
    }
}
