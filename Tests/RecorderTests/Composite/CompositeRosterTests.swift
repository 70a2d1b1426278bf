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

    /// Records `tenths` ticks of 10 fps into a 320x180 file arranged by `layoutKind`, with
    /// `feed` adding media at each tenth of a second, and returns the mean luma of the
    /// canvas's centre (where the large tile of a speaker layout is) at `instants` (seconds).
    func centreLuma(_ layoutKind: LayoutKind, tenths: Int, at instants: [Double],
                    feed: (CompositeRecording, Int, MediaTime) -> Void) throws -> [Double] {
        let path = NSTemporaryDirectory() + "tessera-layout-\(UUID().uuidString.prefix(8))/layout.mp4"
        let recording = try CompositeRecording(settings: CompositeSettings(
            output: RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180, fps: 10)), layoutKind: layoutKind))
        for tenth in 0..<tenths { feed(recording, tenth, .milliseconds(Int64(tenth) * 100)) }
        try recording.render(through: .milliseconds(Int64(tenths - 1) * 100))
        _ = try recording.finish()
        let media = try MediaFileReader.decode(path)
        return try instants.map { seconds in
            let frame = try #require(media.videoFrames.first { abs($0.timestamp.seconds - seconds) < 0.05 })
            return PictureMetrics.mean(frame, .y, x: 120, y: 40, width: 80, height: 60)
        }
    }

    /// A flat grey picture of `luma`.
    func picture(_ luma: UInt8) -> VideoFrame {
        let frame = VideoFrame(width: 320, height: 180)
        frame.fill(y: luma, u: 128, v: 128)
        return frame
    }

    /// The speaker layout in the file: whoever talks is large, the other in the strip; the
    /// floor changes hands when the other talks (after the hold).
    @Test func theSpeakerLayoutShowsWhoIsTalking() throws {
        let (a, b) = (ParticipantID("a"), ParticipantID("b"))
        let centre = try centreLuma(.speaker, tenths: 60, at: [2, 5.5]) { recording, tenth, time in
            for (participant, luma) in [(a, UInt8(60)), (b, UInt8(200))] {
                recording.add(video: picture(luma), from: participant, at: time)
                // a talks for the first 3 s, b after; the other is silent.
                let talking = (participant == a) == (tenth < 30)
                recording.add(audio: AudioBlock(channels: 1, timestamp: .zero, samples: (0..<4800).map { talking ? 0.3 * sin(Float($0) * 0.2) : 0 }),
                              from: participant, at: time)
            }
        }
        #expect(abs(centre[0] - 60) < 4, "a is talking")
        #expect(abs(centre[1] - 200) < 4, "b is talking")
    }

    /// `auto`: the grid until a screen share comes, then the share large.
    @Test func autoShowsAScreenShareLarge() throws {
        let (camera, share) = (ParticipantID("a"), ParticipantID.screenShare(of: "a", stream: "2"))
        let centre = try centreLuma(.auto, tenths: 40, at: [1, 3]) { recording, tenth, time in
            recording.add(video: picture(60), from: camera, at: time)
            if tenth >= 20 { recording.add(video: picture(200), from: share, at: time) }
        }
        #expect(abs(centre[0] - 60) < 4, "the camera alone fills the grid")
        #expect(abs(centre[1] - 200) < 4, "the share is large")
    }
}
