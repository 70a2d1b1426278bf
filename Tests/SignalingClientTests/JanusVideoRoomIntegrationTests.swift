import Foundation
import SDP
import TestSupport
import Testing
import WebRTCTransport

@testable import SignalingClient

#if canImport(Glibc)

/// `JanusVideoRoom` against Debian's Janus with aiortc publishers (scripts/testbed): the bot
/// joins, answers with a real `PeerConnection` and receives media; a late publisher and its
/// leaving renegotiate; the bot leaves cleanly. Needs root, janus and aiortc.
@Suite(.serialized) struct JanusVideoRoomIntegrationTests {
    @Test(.enabled(if: JanusTestbed.isAvailable), .timeLimit(.minutes(2)))
    func subscribesAnswersAndFollowsTheRoster() async throws {
        try await JanusTestbed.with { bed in try await subscribesAnswersAndFollowsTheRoster(bed) }
    }

    func subscribesAnswersAndFollowsTheRoster(_ bed: JanusTestbed) async throws {
        _ = try bed.publish(index: 0, codec: "vp8", seconds: 30)

        let room = JanusVideoRoom(configuration: JanusVideoRoomConfiguration(url: bed.url, room: 1234, displayName: "tessera-test"))
        let log = EventLog()
        let collector = Task {
            for await event in room.events { await log.append(event) }
            await log.finish()
        }
        try await room.join()

        // The first offer carries the first publisher's video and audio.
        let first = try await log.participant(named: "participant-0", timeout: .seconds(20))
        let (offerIndex, firstOffer, firstStreams) = try await log.offer(after: -1, timeout: .seconds(20)) {
            $0.contains { $0.participant == first }
        }
        #expect(firstStreams == [
            SubscribedStream(mid: "0", participant: first, kind: "video", codec: "vp8", active: true),
            SubscribedStream(mid: "1", participant: first, kind: "audio", codec: "opus", active: true),
        ])

        // Answer with a real PeerConnection on the host end of the veth pair.
        var configuration = PeerConnectionConfiguration(bindAddress: bed.hostAddress, ports: 41000...41999)
        configuration.iceConnectTimeout = .seconds(15)
        let connection = try await PeerConnection.answering(offer: firstOffer, configuration: configuration)
        let frames = FrameCounter()
        let frameTask = Task { for await frame in connection.frames { await frames.add(frame.track.mid) } }
        let candidateTask = Task { await log.forwardCandidates(to: connection) }
        try await room.answer(sdp: connection.answer.text)
        for candidate in connection.localCandidates {
            try await room.trickle(candidate: candidate.signalingString, sdpMid: "0", sdpMLineIndex: 0)
        }
        try await room.endOfCandidates()
        _ = try await log.wait(after: offerIndex, timeout: .seconds(20)) { $0 == .mediaUp }
        let mediaFlows = await frames.wait(atLeast: 10, timeout: .seconds(20))
        let framesByMid = await frames.byMid
        #expect(mediaFlows, "frames: \(framesByMid)")

        // A late publisher (started now, so surely after the first offer): roster event, then a
        // renegotiation that adds its two streams.
        let late = try bed.publish(index: 1, codec: "h264", seconds: 3)
        let second = try await log.participant(named: "participant-1", timeout: .seconds(20))
        #expect(second.id != first.id)
        let (addedIndex, addedOffer, added) = try await log.offer(after: offerIndex, timeout: .seconds(20)) {
            $0.contains { $0.participant == second }
        }
        #expect(added.filter { $0.participant == first } == firstStreams)
        let secondStreams = added.filter { $0.participant == second }
        #expect(secondStreams.map(\.kind) == ["video", "audio"])
        #expect(secondStreams.map(\.codec) == ["h264", "opus"])
        #expect(secondStreams.allSatisfy { $0.active })
        #expect(Set(added.map(\.mid)).count == added.count, "mids repeat: \(added)")
        #expect(addedOffer.contains("H264/90000"))
        try await room.answer(sdp: try await connection.renegotiate(offer: addedOffer).text)

        // It leaves: roster event and a renegotiation with its m-lines inactive.
        _ = try await log.wait(after: addedIndex, timeout: .seconds(30)) { $0 == .participantLeft(id: second.id) }
        let (_, removedOffer, removed) = try await log.offer(after: addedIndex, timeout: .seconds(20)) {
            $0.contains { $0.participant == second && !$0.active }
        }
        #expect(removed.filter { $0.participant == second }.map(\.mid) == secondStreams.map(\.mid))
        #expect(removed.filter { $0.participant == first }.allSatisfy { $0.active })
        try await room.answer(sdp: try await connection.renegotiate(offer: removedOffer).text)
        let lateStatus = try await late.process.waitForExit(timeout: .seconds(10))
        #expect(lateStatus == .exited(0), "\(late.log)")

        // Media from the first publisher kept flowing through the renegotiations.
        let before = await frames.count
        let mediaStillFlows = await frames.wait(atLeast: before + 10, timeout: .seconds(10))
        #expect(mediaStillFlows)

        let clock = ContinuousClock()
        let leaving = clock.now
        await room.leave()
        // Bounded (leave timeout 5 s per request); generous for a loaded machine.
        #expect(clock.now - leaving < .seconds(30))
        await collector.value
        #expect(await log.finished)
        #expect(await room.counters() == SignalingCounters())
        candidateTask.cancel()
        await connection.close()
        frameTask.cancel()
        #expect(!bed.janusLog.contains("[ERR]"), "\(bed.janusLog.suffix(2000))")
    }

    @Test(.enabled(if: JanusTestbed.isAvailable), .timeLimit(.minutes(1)))
    func reportsAMissingRoomAndALostServer() async throws {
        try await JanusTestbed.with { bed in try await reportsAMissingRoomAndALostServer(bed) }
    }

    func reportsAMissingRoomAndALostServer(_ bed: JanusTestbed) async throws {
        let missing = JanusVideoRoom(configuration: JanusVideoRoomConfiguration(url: bed.url, room: 999, displayName: "bot"))
        await #expect(throws: JanusError.plugin(request: "join", code: 426, reason: "No such room (999)")) {
            try await missing.join()
        }
        // A failed join leaves nothing open: the event stream has ended.
        var afterFailure: [SignalingEvent] = []
        for await event in missing.events { afterFailure.append(event) }
        #expect(afterFailure.isEmpty)

        let room = JanusVideoRoom(configuration: JanusVideoRoomConfiguration(url: bed.url, room: 1234, displayName: "bot"))
        try await room.join()
        await bed.stop()
        var last: SignalingEvent?
        for await event in room.events { last = event }
        guard case .disconnected = last else {
            Issue.record("expected disconnected, got \(String(describing: last))")
            return
        }
    }
}

/// Every event of a session in order, with bounded waits for the one a test needs.
actor EventLog {
    private(set) var events: [SignalingEvent] = []
    private(set) var finished = false

    func append(_ event: SignalingEvent) { events.append(event) }
    func finish() { finished = true }

    /// The first event after index `after` that `matches`, polling until `timeout`.
    func wait(
        after: Int, timeout: Duration, _ matches: (SignalingEvent) -> Bool
    ) async throws -> (Int, SignalingEvent) {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let index = events.indices.first(where: { $0 > after && matches(events[$0]) }) {
                return (index, events[index])
            }
            if finished || ContinuousClock.now >= deadline {
                throw ChildProcess.Failure(description: "no matching event within \(timeout); events: \(events)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func offer(
        after: Int, timeout: Duration, _ matches: ([SubscribedStream]) -> Bool
    ) async throws -> (Int, String, [SubscribedStream]) {
        let (index, event) = try await wait(after: after, timeout: timeout) {
            if case .offer(_, let streams) = $0 { matches(streams) } else { false }
        }
        guard case .offer(let sdp, let streams) = event else { throw ChildProcess.Failure(description: "not an offer") }
        return (index, sdp, streams)
    }

    func participant(named name: String, timeout: Duration) async throws -> MeetingParticipant {
        let (_, event) = try await wait(after: -1, timeout: timeout) {
            if case .participantJoined(let participant) = $0 { participant.displayName == name } else { false }
        }
        guard case .participantJoined(let participant) = event else { throw ChildProcess.Failure(description: name) }
        return participant
    }

    /// Hands every trickled candidate, past and future, to `connection` until cancelled.
    func forwardCandidates(to connection: PeerConnection) async {
        var next = 0
        while !Task.isCancelled {
            while next < events.count {
                if case .remoteCandidate(let trickled) = events[next] {
                    switch trickled {
                    case .candidate(let candidate, _, _): connection.addRemoteCandidate(candidate)
                    case .endOfCandidates: connection.endOfRemoteCandidates()
                    }
                }
                next += 1
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Frames received, per mid.
actor FrameCounter {
    private(set) var byMid: [String: Int] = [:]
    var count: Int { byMid.values.reduce(0, +) }

    func add(_ mid: String) { byMid[mid, default: 0] += 1 }

    func wait(atLeast target: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while count < target, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return count >= target
    }
}
#endif
