import Foundation
import Logging
import MediaTypes
import SDP
import SignalingClient
import Synchronization
import Testing
import WebRTCTransport
@testable import Recorder

/// The meeting side of a live recording against a scripted meeting server: what it does with
/// the roster and with offers it can and cannot answer. No media flows (no ICE peer).
@Suite struct LiveMeetingTests {
    /// A meeting server that says what the test scripts and records the bot's answers.
    final class ScriptedSignaling: MeetingSignaling {
        let events: AsyncStream<SignalingEvent>
        let say: AsyncStream<SignalingEvent>.Continuation
        private let answered = Mutex<[String]>([])

        init() {
            (events, say) = AsyncStream.makeStream(of: SignalingEvent.self)
        }

        var answers: [String] { answered.withLock { $0 } }
        func join() async throws {}
        func answer(sdp: String) async throws { answered.withLock { $0.append(sdp) } }
        func trickle(candidate: String, sdpMid: String?, sdpMLineIndex: Int?) async throws {}
        func endOfCandidates() async throws {}
        func leave() async { say.finish() }
    }

    /// Janus's VP8 + Opus subscriber offer (the SDP module's fixture, placeholders filled in),
    /// with its codecs optionally replaced.
    static func offer(video: String = "VP8/90000", audio: String = "opus/48000/2") throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SDPTests/Fixtures/janus-subscriber-offer-vp8.sdp")
        return try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "<fingerprint>", with: (0..<32).map { _ in "AB" }.joined(separator: ":"))
            .replacingOccurrences(of: "<ufrag>", with: "janU")
            .replacingOccurrences(of: "<pwd>", with: "janusjanusjanusjanus22")
            .replacingOccurrences(of: "VP8/90000", with: video)
            .replacingOccurrences(of: "opus/48000/2", with: audio)
    }

    static let alice = MeetingParticipant(id: "1001", displayName: "alice")

    static func streams(active: Bool = true) -> [SubscribedStream] {
        [SubscribedStream(mid: "0", participant: alice, kind: "video", codec: "vp8", active: active),
         SubscribedStream(mid: "1", participant: alice, kind: "audio", codec: "opus", active: active)]
    }

    /// Drains the inbox through the live source: the roster changes it carries.
    static func rosterChanges(_ inbox: LiveMediaSource.Inbox) throws -> [String] {
        let source = LiveMediaSource(inbox: inbox)
        var changes: [String] = []
        try source.advance(through: .seconds(3600), decodingVideoThrough: .seconds(3600)) { media in
            switch media {
            case let .joined(participant, _, displayName): changes.append("joined \(participant) as \(displayName ?? "-")")
            case let .left(participant, _): changes.append("left \(participant)")
            case .video, .audio: changes.append("media")
            }
        }
        return changes
    }

    func meeting(_ signaling: ScriptedSignaling, inbox: LiveMediaSource.Inbox, control: RecordingControl, emptyTimeout: Duration = .seconds(60))
        -> LiveMeeting
    {
        LiveMeeting(
            signaling: signaling,
            options: LiveMeeting.Options(
                transport: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 46_000...46_999), emptyMeetingTimeout: emptyTimeout),
            inbox: inbox, control: control, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// A participant's camera and a screen share on the same connection: two tiles, the
    /// audio with the camera; an inactive stream feeds nobody.
    @Test func aSecondVideoStreamOfAParticipantGetsATileOfItsOwn() {
        let bob = MeetingParticipant(id: "1002", displayName: "bob")
        let streams = [
            SubscribedStream(mid: "0", participant: Self.alice, kind: "video", codec: "vp8", active: true),
            SubscribedStream(mid: "1", participant: Self.alice, kind: "audio", codec: "opus", active: true),
            SubscribedStream(mid: "2", participant: Self.alice, kind: "video", codec: "vp8", active: true),
            SubscribedStream(mid: "3", participant: bob, kind: "video", codec: "h264", active: true),
            SubscribedStream(mid: "4", participant: bob, kind: "video", codec: "h264", active: false),
        ]
        #expect(LiveMeeting.tileOwners(of: streams) == [
            "0": ParticipantID("1001"), "1": ParticipantID("1001"), "2": ParticipantID("1001/2"), "3": ParticipantID("1002"),
        ])
    }

    @Test func anOfferItCannotAnswerIsSkippedAndTheNextOneIsAnswered() async throws {
        let signaling = ScriptedSignaling(), inbox = LiveMediaSource.Inbox(), control = RecordingControl()
        let live = meeting(signaling, inbox: inbox, control: control)
        let running = Task { await live.run() }
        signaling.say.yield(.participantJoined(Self.alice))
        // Codecs nobody here decodes: no section can be received, nothing is answered.
        signaling.say.yield(.offer(sdp: try Self.offer(video: "AV1/90000", audio: "G722/8000"), streams: Self.streams()))
        // Malformed SDP: refused the same way.
        signaling.say.yield(.offer(sdp: "v=0\r\nnot sdp at all\r\n", streams: Self.streams()))
        signaling.say.yield(.offer(sdp: try Self.offer(), streams: Self.streams()))
        let deadline = ContinuousClock.now + .seconds(90)
        while signaling.answers.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(signaling.answers.count == 1)
        let answer = try SessionDescription(parsing: try #require(signaling.answers.first))
        #expect(answer.media.map(\.port).allSatisfy { $0 != 0 })
        #expect(control.stopReason == nil, "a refused offer does not end the recording")
        // The roster put alice in the picture before any media (a placeholder until her video comes).
        #expect(try Self.rosterChanges(inbox) == ["joined 1001 as alice"])

        signaling.say.yield(.participantLeft(id: "1001"))
        signaling.say.yield(.meetingEnded)
        await running.value
        #expect(control.stopReason == .meetingEnded)
        #expect(try Self.rosterChanges(inbox) == ["left 1001"])
        #expect(live.lostServer == nil)
    }

    @Test func anEmptyMeetingStopsTheRecordingAndALostServerIsReported() async throws {
        let signaling = ScriptedSignaling(), inbox = LiveMediaSource.Inbox(), control = RecordingControl()
        let live = meeting(signaling, inbox: inbox, control: control, emptyTimeout: .milliseconds(300))
        await live.run()
        #expect(control.stopReason == .allParticipantsLeft)

        let other = ScriptedSignaling(), otherControl = RecordingControl()
        let lost = meeting(other, inbox: LiveMediaSource.Inbox(), control: otherControl)
        other.say.yield(.participantJoined(Self.alice))
        other.say.yield(.disconnected(reason: "the connection closed"))
        await lost.run()
        #expect(lost.lostServer == "the connection closed")
        #expect(otherControl.stopReason == .meetingEnded)
    }
}
