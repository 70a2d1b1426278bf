import Logging
import SDP
import Testing

@testable import SignalingClient

/// The subscriber session driven by real Janus messages, without sockets: what it sends,
/// reports and finishes at each step.
struct VideoRoomStateMachineTests {
    typealias T = JanusTranscript
    typealias Action = VideoRoomStateMachine.Action

    /// A state machine with a manual clock.
    struct Harness {
        var machine: VideoRoomStateMachine
        let start = ContinuousClock.now
        var elapsed: Duration = .zero
        var now: ContinuousClock.Instant { start + elapsed }

        init(room: JanusID = 1234, token: String? = nil) {
            let settings = VideoRoomStateMachine.Settings(
                room: room, pin: nil, token: token, displayName: "recorder-bot", keepaliveInterval: .seconds(25),
                requestTimeout: .seconds(10), leaveTimeout: .seconds(5))
            machine = VideoRoomStateMachine(settings: settings, transactionPrefix: "tx", logger: Logger(label: "test"))
        }

        mutating func feed(_ text: String) -> [Action] { machine.receive(text: text, now: now) }

        mutating func advance(_ duration: Duration) -> [Action] {
            elapsed += duration
            return machine.tick(now: now)
        }

        /// create, attach, join as publisher; returns what the `joined` reply produced.
        mutating func joinRoom(joined: (String) -> String = T.joined) -> [Action] {
            #expect(machine.join(now: now) == [.send(JanusRequest(janus: "create", transaction: "tx-1"))])
            #expect(
                feed(T.success("tx-1", id: T.sessionID))
                    == [.send(JanusRequest(janus: "attach", transaction: "tx-2", sessionID: T.sessionID, plugin: "janus.plugin.videoroom"))])
            let join = VideoRoomRequest(request: "join", ptype: "publisher", room: 1234, display: "recorder-bot")
            #expect(
                feed(T.success("tx-2", id: T.controlHandle))
                    == [.send(JanusRequest(janus: "message", transaction: "tx-3", sessionID: T.sessionID, handleID: T.controlHandle, body: join))])
            #expect(feed(T.ack("tx-3")).isEmpty)
            return feed(joined("tx-3"))
        }

        /// Joins a room of four publishers and receives the first offer (`attached`).
        mutating func joinWithOffer() {
            _ = joinRoom()
            _ = feed(T.success("tx-4", id: T.subscriberHandle))
            _ = feed(T.attached("tx-5"))
        }

        /// Answers the latest offer and has Janus confirm it.
        mutating func answer() throws {
            let (waiter, _) = try machine.answer(sdp: "v=0\r\n", now: now)
            #expect(feed(T.started(waiter.transaction)) == [.finish(waiter, nil)])
        }
    }

    static let participants = [
        MeetingParticipant(id: "1000000000000005", displayName: "pub-2"),
        MeetingParticipant(id: "1000000000000006", displayName: "pub-1"),
        MeetingParticipant(id: "1000000000000007", displayName: "pub-3"),
        MeetingParticipant(id: "1000000000000008", displayName: "pub-4"),
    ]

    static let firstOfferStreams = [
        SubscribedStream(mid: "0", participant: participants[0], kind: "video", codec: "vp8", active: true),
        SubscribedStream(mid: "1", participant: participants[0], kind: "audio", codec: "opus", active: true),
    ]

    @Test func joinsAndSubscribesToEveryPublisher() {
        var harness = Harness()
        let joined = harness.joinRoom()
        #expect(
            joined
                == Self.participants.map { .emit(.participantJoined($0)) }
                + [.send(JanusRequest(janus: "attach", transaction: "tx-4", sessionID: T.sessionID, plugin: "janus.plugin.videoroom"))])
        let subscribe = VideoRoomRequest(
            request: "join", ptype: "subscriber", room: 1234, privateID: T.privateID,
            streams: [1000000000000005, 1000000000000006, 1000000000000007, 1000000000000008].map { .init(feed: .number($0)) })
        #expect(
            harness.feed(T.success("tx-4", id: T.subscriberHandle))
                == [.send(JanusRequest(janus: "message", transaction: "tx-5", sessionID: T.sessionID, handleID: T.subscriberHandle, body: subscribe))])
        #expect(harness.feed(T.ack("tx-5")).isEmpty)
        let sdp = T.offerSDP.replacingOccurrences(of: "\\r\\n", with: "\r\n")
        #expect(
            harness.feed(T.attached("tx-5"))
                == [.emit(.offer(sdp: sdp, streams: Self.firstOfferStreams)), .finish(.join, nil)])
        #expect(harness.machine.phase == .joined)
        #expect(harness.feed(T.webrtcUp) == [.emit(.mediaUp)])
        #expect(harness.machine.counters == SignalingCounters())
    }

    @Test func buffersCandidatesThatArriveBeforeTheOffer() throws {
        var harness = Harness()
        _ = harness.joinRoom()
        _ = harness.feed(T.success("tx-4", id: T.subscriberHandle))
        #expect(harness.feed(T.trickledCandidate).isEmpty)
        #expect(harness.feed(T.trickleCompleted).isEmpty)
        let actions = harness.feed(T.attached("tx-5"))
        let candidate = try ICECandidate(parsing: "candidate:1 1 udp 2015363583 127.0.0.1 20625 typ host")
        #expect(actions.count == 4)
        #expect(actions.dropFirst().map { $0 } == [
            .emit(.remoteCandidate(.candidate(candidate, sdpMid: "0", sdpMLineIndex: 0))),
            .emit(.remoteCandidate(.endOfCandidates)),
            .finish(.join, nil),
        ])
        // After the offer, candidates go straight through.
        #expect(harness.feed(T.trickleCompleted) == [.emit(.remoteCandidate(.endOfCandidates))])
    }

    @Test func answersWithStartAndTricklesTheEndOfCandidates() throws {
        var harness = Harness()
        harness.joinWithOffer()
        let (waiter, actions) = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now)
        #expect(waiter == .request("tx-6"))
        #expect(actions == [.send(JanusRequest(
            janus: "message", transaction: "tx-6", sessionID: T.sessionID, handleID: T.subscriberHandle,
            body: VideoRoomRequest(request: "start"), jsep: JSEP(type: "answer", sdp: "v=0\r\n")))])
        // The answer is done when Janus says `started`, not at its ack.
        #expect(harness.feed(T.ack("tx-6")).isEmpty)
        #expect(harness.feed(T.started("tx-6")) == [.finish(.request("tx-6"), nil)])
        #expect(throws: JanusError.invalidState(request: "start", reason: "no offer to answer")) {
            _ = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now)
        }
        let (trickle, sent) = try harness.machine.trickle(TrickleCandidate(completed: true), now: harness.now)
        #expect(sent == [.send(JanusRequest(
            janus: "trickle", transaction: "tx-7", sessionID: T.sessionID, handleID: T.subscriberHandle,
            candidate: TrickleCandidate(completed: true)))])
        // A trickle is done at its ack.
        #expect(harness.feed(T.ack("tx-7")) == [.finish(trickle, nil)])
    }

    @Test func subscribesToALatePublisherOnceTheOfferIsAnswered() throws {
        var harness = Harness()
        harness.joinWithOffer()
        let pub5 = MeetingParticipant(id: "1000000000000010", displayName: "pub-5")
        // The first offer is not answered yet: only the roster changes.
        #expect(harness.feed(T.publisherArrives) == [.emit(.participantJoined(pub5))])
        let (waiter, _) = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now)
        let subscribe = VideoRoomRequest(request: "subscribe", streams: [.init(feed: 1000000000000010)])
        #expect(harness.feed(T.started(waiter.transaction)) == [
            .finish(waiter, nil),
            .send(JanusRequest(janus: "message", transaction: "tx-7", sessionID: T.sessionID, handleID: T.subscriberHandle, body: subscribe)),
        ])
        // Janus answers `subscribe` with an `updated` offer (this one only renames the event).
        let updated = T.attached("tx-7").replacingOccurrences(of: #""attached""#, with: #""updated""#)
        let actions = harness.feed(updated)
        guard case .emit(.offer(_, let streams)) = actions.first else {
            Issue.record("expected an offer, got \(actions)")
            return
        }
        #expect(streams == Self.firstOfferStreams)
        // The same publisher announced again is not subscribed twice.
        #expect(harness.feed(T.publisherArrives).isEmpty)
    }

    @Test func subscribesToAStreamAKnownPublisherAddsLater() throws {
        var harness = Harness()
        harness.joinWithOffer()
        let (waiter, _) = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now)
        #expect(harness.feed(T.started(waiter.transaction)) == [.finish(waiter, nil)])
        // pub-2 is in the subscription with mids 0 and 1: only the new stream is asked for.
        let subscribe = VideoRoomRequest(request: "subscribe", streams: [.init(feed: 1000000000000005, mid: "2")])
        #expect(harness.feed(T.publisherAddsAStream) == [
            .send(JanusRequest(janus: "message", transaction: "tx-7", sessionID: T.sessionID, handleID: T.subscriberHandle, body: subscribe)),
        ])
        #expect(harness.feed(T.updatedWithAddedStream("tx-7")) == [.emit(.offer(
            sdp: "v=0\r\no=- 1795681443744342 3 IN IP4 127.0.0.1\r\n",
            streams: Self.firstOfferStreams + [
                SubscribedStream(mid: "2", participant: Self.participants[0], kind: "video", codec: "vp8", active: true),
            ]))])
        // Announced again, with nothing new: no request.
        #expect(harness.feed(T.publisherAddsAStream).isEmpty)
    }

    @Test func reportsALeavingPublisherOnceAndTheRenegotiation() {
        var harness = Harness()
        harness.joinWithOffer()
        // Janus sends `updated` first, then `unpublished` and `leaving` on the control handle.
        let owner = Self.participants[0]
        #expect(harness.feed(T.updatedAfterLeave) == [.emit(.offer(
            sdp: "v=0\r\no=- 1795681443744342 2 IN IP4 127.0.0.1\r\n",
            streams: [
                SubscribedStream(mid: "0", participant: owner, kind: "video", codec: nil, active: false),
                SubscribedStream(mid: "1", participant: owner, kind: "audio", codec: nil, active: false),
            ]))])
        #expect(harness.feed(T.unpublished(1000000000000005)) == [.emit(.participantLeft(id: "1000000000000005"))])
        #expect(harness.feed(T.leaving(1000000000000005)).isEmpty)
        // Someone who never published leaves: nothing to report.
        #expect(harness.feed(T.leaving(42)).isEmpty)
    }

    @Test func startsTheSubscriptionWithTheFirstPublisher() {
        var harness = Harness()
        #expect(harness.joinRoom(joined: T.joinedEmptyRoom) == [.finish(.join, nil)])
        let pub5 = MeetingParticipant(id: "1000000000000010", displayName: "pub-5")
        #expect(harness.feed(T.publisherArrives) == [
            .emit(.participantJoined(pub5)),
            .send(JanusRequest(janus: "attach", transaction: "tx-4", sessionID: T.sessionID, plugin: "janus.plugin.videoroom")),
        ])
        let join = VideoRoomRequest(
            request: "join", ptype: "subscriber", room: 1234, privateID: T.privateID, streams: [.init(feed: 1000000000000010)])
        #expect(harness.feed(T.success("tx-4", id: T.subscriberHandle)) == [
            .send(JanusRequest(janus: "message", transaction: "tx-5", sessionID: T.sessionID, handleID: T.subscriberHandle, body: join))
        ])
    }

    @Test func retriesWhenAFeedVanishedBeforeTheSubscription() {
        var harness = Harness()
        _ = harness.joinRoom()
        _ = harness.feed(T.success("tx-4", id: T.subscriberHandle))
        // pub-2 left between the roster and the subscriber's join: Janus refuses the whole join.
        let noSuchFeed = #"""
            {"janus":"event","session_id":1000000000000001,"transaction":"tx-5","sender":1000000000000009,
             "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","error_code":428,"error":"No such feed (1000000000000005)"}}}
            """#
        #expect(harness.feed(noSuchFeed) == [.finish(.join, nil)])
        // Nothing is retried until the roster changes; then the others are asked for again.
        #expect(harness.advance(.seconds(1)).isEmpty)
        let join = VideoRoomRequest(
            request: "join", ptype: "subscriber", room: 1234, privateID: T.privateID,
            streams: [1000000000000006, 1000000000000007, 1000000000000008].map { .init(feed: .number($0)) })
        #expect(harness.feed(T.leaving(1000000000000005)) == [
            .emit(.participantLeft(id: "1000000000000005")),
            .send(JanusRequest(janus: "message", transaction: "tx-6", sessionID: T.sessionID, handleID: T.subscriberHandle, body: join)),
        ])
    }

    @Test func reportsTheRoomsEndOnce() {
        var harness = Harness()
        harness.joinWithOffer()
        let destroyed = #"""
            {"janus":"event","session_id":1000000000000001,"sender":1000000000000002,
             "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"destroyed","room":1234}}}
            """#
        #expect(harness.feed(destroyed) == [.emit(.meetingEnded)])
        #expect(harness.feed(destroyed).isEmpty)
        #expect(harness.feed(T.hangup) == [.emit(.hangup(reason: "DTLS alert"))])
    }

    @Test func turnsJanusAndPluginErrorsIntoTypedErrors() {
        var harness = Harness()
        _ = harness.machine.join(now: harness.now)
        _ = harness.feed(T.success("tx-1", id: T.sessionID))
        _ = harness.feed(T.success("tx-2", id: T.controlHandle))
        let noSuchRoom = #"""
            {"janus":"event","session_id":1000000000000001,"transaction":"tx-3","sender":1000000000000002,
             "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","error_code":426,"error":"No such room (1234)"}}}
            """#
        #expect(harness.feed(noSuchRoom) == [.finish(.join, .plugin(request: "join", code: 426, reason: "No such room (1234)"))])

        var other = Harness()
        _ = other.machine.join(now: other.now)
        let noSession = #"""
            {"janus":"error","transaction":"tx-1","error":{"code":403,"reason":"Unauthorized request (wrong or missing secret/token)"}}
            """#
        #expect(other.feed(noSession) == [.finish(.join, .server(
            request: "create", code: 403, reason: "Unauthorized request (wrong or missing secret/token)"))])
    }

    @Test func timesOutRequestsAndSendsKeepalives() {
        var harness = Harness()
        _ = harness.machine.join(now: harness.now)
        #expect(harness.advance(.seconds(9)).isEmpty)
        #expect(harness.advance(.seconds(1)) == [.finish(.join, .timeout(request: "create", after: .seconds(10)))])
        #expect(harness.machine.counters.timedOutRequests == 1)

        var joined = Harness()
        joined.joinWithOffer()
        #expect(joined.advance(.seconds(24)).isEmpty)
        #expect(joined.advance(.seconds(1)) == [.send(JanusRequest(janus: "keepalive", transaction: "tx-6", sessionID: T.sessionID))])
        #expect(joined.feed(T.ack("tx-6")).isEmpty)
        #expect(joined.advance(.seconds(25)) == [.send(JanusRequest(janus: "keepalive", transaction: "tx-7", sessionID: T.sessionID))])
        // Two keepalives in a row without an answer: Janus is gone even if the socket is open.
        #expect(joined.advance(.seconds(10)).isEmpty)
        #expect(joined.advance(.seconds(15)) == [.send(JanusRequest(janus: "keepalive", transaction: "tx-8", sessionID: T.sessionID))])
        #expect(joined.advance(.seconds(10)) == [.emit(.disconnected(reason: "Janus answered none of the last 2 keepalives"))])
    }

    @Test func countsWhatItCannotUse() {
        var harness = Harness()
        harness.joinWithOffer()
        #expect(harness.feed("{\"janus\": \"event\", ").isEmpty)
        #expect(harness.feed("[1, 2, 3]").isEmpty)
        #expect(harness.feed(#"{"janus":"event","sender":"not a number"}"#).isEmpty)
        #expect(harness.machine.counters.malformedMessages == 3)
        #expect(harness.feed(#"{"janus":"surprise","session_id":1000000000000001}"#).isEmpty)
        #expect(harness.feed(T.webrtcUp.replacingOccurrences(of: "1000000000000009", with: "77")).isEmpty)
        #expect(harness.machine.counters.unexpectedMessages == 2)
        let badCandidate = T.trickledCandidate.replacingOccurrences(of: "20625", with: "port")
        #expect(harness.feed(badCandidate).isEmpty)
        #expect(harness.machine.counters.malformedCandidates == 1)
        // Still working.
        #expect(harness.feed(T.webrtcUp) == [.emit(.mediaUp)])
    }

    @Test func leavesStepByStepAsInTheTranscript() throws {
        var harness = Harness()
        harness.joinWithOffer()
        try harness.answer()
        let leave = VideoRoomRequest(request: "leave")
        #expect(harness.machine.leave(now: harness.now) == [
            .send(JanusRequest(janus: "message", transaction: "tx-7", sessionID: T.sessionID, handleID: T.subscriberHandle, body: leave))
        ])
        #expect(harness.feed(T.ack("tx-7")).isEmpty)
        #expect(harness.feed(T.left("tx-7", handle: T.subscriberHandle)) == [
            .send(JanusRequest(janus: "message", transaction: "tx-8", sessionID: T.sessionID, handleID: T.controlHandle, body: leave))
        ])
        #expect(harness.feed(T.left("tx-8", handle: T.controlHandle)) == [
            .send(JanusRequest(janus: "detach", transaction: "tx-9", sessionID: T.sessionID, handleID: T.subscriberHandle))
        ])
        #expect(harness.feed(T.hangup) == [.emit(.hangup(reason: "DTLS alert"))])
        #expect(harness.feed(T.plainSuccess("tx-9")) == [
            .send(JanusRequest(janus: "detach", transaction: "tx-10", sessionID: T.sessionID, handleID: T.controlHandle))
        ])
        #expect(harness.feed(T.plainSuccess("tx-10")) == [.send(JanusRequest(janus: "destroy", transaction: "tx-11", sessionID: T.sessionID))])
        #expect(harness.feed(T.plainSuccess("tx-11")) == [.finish(.leave, nil)])
        #expect(harness.machine.phase == .closed)
        // The socket closing afterwards is no news.
        #expect(harness.machine.connectionClosed(reason: "closed").isEmpty)
    }

    @Test func leavingIsBoundedWhenJanusIsSilent() {
        var harness = Harness()
        harness.joinWithOffer()
        _ = harness.machine.leave(now: harness.now)
        #expect(harness.advance(.seconds(4)).isEmpty)
        #expect(harness.advance(.seconds(1)) == [.finish(.leave, .timeout(request: "leave", after: .seconds(5)))])
    }

    @Test func reportsALostConnectionAndFailsWaitingCalls() throws {
        var harness = Harness()
        harness.joinWithOffer()
        let (waiter, _) = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now)
        #expect(harness.machine.connectionClosed(reason: "reset by peer") == [
            .finish(waiter, .connection(reason: "reset by peer")),
            .emit(.disconnected(reason: "reset by peer")),
        ])
        #expect(throws: JanusError.self) { _ = try harness.machine.answer(sdp: "v=0\r\n", now: harness.now) }
    }

    @Test func sendsStringRoomsAndTheToken() {
        var harness = Harness(room: "demo-room", token: "secret")
        _ = harness.machine.join(now: harness.now)
        _ = harness.feed(T.success("tx-1", id: T.sessionID))
        let join = VideoRoomRequest(request: "join", ptype: "publisher", room: .string("demo-room"), display: "recorder-bot")
        #expect(harness.feed(T.success("tx-2", id: T.controlHandle)) == [.send(JanusRequest(
            janus: "message", transaction: "tx-3", sessionID: T.sessionID, handleID: T.controlHandle, body: join, token: "secret"))])
    }
}

extension VideoRoomStateMachine.Waiter {
    var transaction: String {
        if case .request(let id) = self { return id }
        return ""
    }
}
