import Foundation
import Logging
import SDP

/// The Janus VideoRoom subscriber session without I/O: it takes the calls of the bot, the text
/// Janus sends and the passing of time, and returns what to send, what to report and which
/// waiting call is done.
///
/// The flow: `create` a session; `attach` a control handle and `join` the room as a publisher
/// that never publishes (only publishers hear of other publishers); `attach` a subscriber handle
/// and `join` it as a subscriber of every publisher's feed (one PeerConnection for all of them).
/// New publishers are added with `subscribe`; feeds that go away make Janus send an `updated`
/// offer. Every offer is answered with `start`. `leave` leaves both handles, detaches them and
/// destroys the session.
struct VideoRoomStateMachine: Sendable {
    static let plugin = "janus.plugin.videoroom"
    /// Candidates kept while no offer has been reported; Janus trickles a handful.
    static let candidateBufferLimit = 64
    /// A Janus that answers no keepalive this many times in a row counts as gone (the socket
    /// can stay open when the server hangs).
    static let keepalivesMissedBeforeDisconnect = 2
    /// The VideoRoom's error code for a feed that is gone (JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED).
    static let noSuchFeed = 428

    struct Settings: Sendable {
        var room: JanusID
        var pin: String?
        var token: String?
        var displayName: String
        var keepaliveInterval: Duration
        var requestTimeout: Duration
        /// `leave` gives up on Janus's replies after this long.
        var leaveTimeout: Duration
    }

    /// A call of the bot that waits for the session.
    enum Waiter: Hashable, Sendable {
        case join
        case leave
        /// A single request (`start`, `trickle`) by its transaction id.
        case request(String)
    }

    enum Action: Sendable, Equatable {
        case send(JanusRequest)
        case emit(SignalingEvent)
        /// The call is done; it failed when the error is not nil.
        case finish(Waiter, JanusError?)
    }

    enum Purpose: Sendable, Equatable {
        case createSession, attachControl, joinRoom, attachSubscriber
        /// The subscriber's first request and the later ones, with the feeds they ask for.
        case joinSubscriber([VideoRoomRequest.Feed]), subscribe([VideoRoomRequest.Feed])
        case start, trickle, keepalive, leaveStep

        /// Janus acknowledges these and sends nothing more.
        var completesOnAck: Bool { self == .trickle || self == .keepalive }
    }

    enum Phase: Sendable, Equatable {
        case idle, joining, joined, leaving, closed
    }

    private enum LeaveStep: Sendable {
        case leave(handle: UInt64)
        case detach(handle: UInt64)
        case destroy
    }

    private(set) var counters = SignalingCounters()
    private(set) var phase = Phase.idle
    private let settings: Settings
    private let logger: Logger
    private var transactions: TransactionTable<Purpose>

    private var sessionID: UInt64?
    private var controlHandle: UInt64?
    private var privateID: UInt64?
    private var subscriberHandle: UInt64?
    private var subscriberAttaching = false
    private var subscriberJoined = false
    private var joinPending = false

    private var roster = VideoRoomRoster()
    private var subscriptionInFlight = false
    /// A subscription request failed: the next one waits for the roster to change.
    private var subscriptionWaitsForRoster = false
    private var offerAwaitingAnswer = false
    private var answerInFlight = false
    private var offerReported = false
    private var bufferedCandidates: [TrickledCandidate] = []
    private var meetingEnded = false

    private var nextKeepalive: ContinuousClock.Instant?
    private var unansweredKeepalives = 0
    private var leaveSteps: [LeaveStep] = []
    private var leaveDeadline: ContinuousClock.Instant?

    init(settings: Settings, transactionPrefix: String, logger: Logger) {
        self.settings = settings
        self.logger = logger
        transactions = TransactionTable(prefix: transactionPrefix)
    }

    // MARK: Calls of the bot

    mutating func join(now: ContinuousClock.Instant) -> [Action] {
        guard phase == .idle else {
            return [.finish(.join, .invalidState(request: "join", reason: "already joined or left"))]
        }
        phase = .joining
        joinPending = true
        return [send(.createSession, JanusRequest(janus: "create", transaction: ""), now: now)]
    }

    /// Sends `start` with the answer to the latest offer.
    mutating func answer(sdp: String, now: ContinuousClock.Instant) throws(JanusError) -> (Waiter, [Action]) {
        guard phase == .joined, let handle = subscriberHandle else {
            throw .invalidState(request: "start", reason: "no subscription")
        }
        guard offerAwaitingAnswer else { throw .invalidState(request: "start", reason: "no offer to answer") }
        offerAwaitingAnswer = false
        answerInFlight = true
        let request = JanusRequest(
            janus: "message", transaction: "", handleID: handle, body: VideoRoomRequest(request: "start"),
            jsep: JSEP(type: "answer", sdp: sdp))
        return waiting(prepare(.start, request, now: now))
    }

    /// Trickles a local candidate, or the end of them (`completed`).
    mutating func trickle(_ candidate: TrickleCandidate, now: ContinuousClock.Instant) throws(JanusError) -> (Waiter, [Action]) {
        guard phase == .joined, let handle = subscriberHandle else {
            throw .invalidState(request: "trickle", reason: "no subscription")
        }
        let request = JanusRequest(janus: "trickle", transaction: "", handleID: handle, candidate: candidate)
        return waiting(prepare(.trickle, request, now: now))
    }

    /// Leaves both handles, detaches them and destroys the session, one step after the other;
    /// a step that fails or times out does not stop the next. Finishes `.leave`.
    mutating func leave(now: ContinuousClock.Instant) -> [Action] {
        switch phase {
        case .idle, .closed:
            phase = .closed
            return [.finish(.leave, nil)]
        case .leaving:
            return []
        case .joining, .joined:
            break
        }
        var actions: [Action] = []
        if joinPending {
            joinPending = false
            actions.append(.finish(.join, .invalidState(request: "join", reason: "left before joining")))
        }
        phase = .leaving
        leaveDeadline = now + settings.leaveTimeout
        if let subscriberHandle, subscriberJoined { leaveSteps.append(.leave(handle: subscriberHandle)) }
        if let controlHandle, privateID != nil { leaveSteps.append(.leave(handle: controlHandle)) }
        if let subscriberHandle { leaveSteps.append(.detach(handle: subscriberHandle)) }
        if let controlHandle { leaveSteps.append(.detach(handle: controlHandle)) }
        if sessionID != nil { leaveSteps.append(.destroy) }
        return actions + nextLeaveStep(now: now)
    }

    // MARK: Input from Janus and the clock

    /// One text message from the WebSocket.
    mutating func receive(text: String, now: ContinuousClock.Instant) -> [Action] {
        let message: JanusMessage
        do {
            message = try JSONDecoder().decode(JanusMessage.self, from: Data(text.utf8))
        } catch {
            counters.malformedMessages += 1
            logger.warning(
                "Janus sent a message that is not valid", metadata: ["error": "\(error)", "text": "\(text.prefix(300))"])
            return []
        }
        return receive(message, now: now)
    }

    mutating func receive(_ message: JanusMessage, now: ContinuousClock.Instant) -> [Action] {
        if let transaction = message.transaction, let pending = transactions.peek(transaction) {
            switch message.janus {
            case "ack":
                guard pending.purpose.completesOnAck else { return [] }
                _ = transactions.close(transaction)
                return complete(transaction, pending, .success(message), now: now)
            case "success", "event":
                _ = transactions.close(transaction)
                if let data = message.plugindata?.data, let code = data.errorCode {
                    let error = JanusError.plugin(request: pending.request, code: code, reason: data.error ?? "")
                    return complete(transaction, pending, .failure(error), now: now)
                }
                return complete(transaction, pending, .success(message), now: now)
            case "error":
                _ = transactions.close(transaction)
                let error = JanusError.server(
                    request: pending.request, code: message.error?.code ?? 0, reason: message.error?.reason ?? "")
                return complete(transaction, pending, .failure(error), now: now)
            default:
                break
            }
        }
        switch message.janus {
        case "ack", "success":
            // An ack after its event, or a reply after its request timed out.
            logger.debug("late Janus reply", metadata: ["janus": "\(message.janus)", "transaction": "\(message.transaction ?? "")"])
            return []
        case "event":
            guard let data = message.plugindata?.data else { return unexpected(message, "event without plugin data") }
            if message.sender != nil, message.sender == controlHandle {
                return controlEvent(data, now: now)
            }
            if message.sender != nil, message.sender == subscriberHandle {
                return subscriberEvent(data, jsep: message.jsep, now: now)
            }
            return unexpected(message, "event from an unknown handle")
        case "trickle":
            guard message.sender != nil, message.sender == subscriberHandle else {
                return unexpected(message, "candidate for an unknown handle")
            }
            return remoteCandidate(message.candidate, message)
        case "webrtcup":
            guard message.sender != nil, message.sender == subscriberHandle else { return unexpected(message, "webrtcup") }
            return [.emit(.mediaUp)]
        case "hangup":
            guard message.sender != nil, message.sender == subscriberHandle else { return unexpected(message, "hangup") }
            return [.emit(.hangup(reason: message.reason ?? "unknown"))]
        case "media", "slowlink", "detached":
            logger.debug("Janus event", metadata: ["janus": "\(message.janus)"])
            return []
        case "timeout":
            logger.error("Janus timed out the session")
            return connectionClosed(reason: "Janus timed out the session")
        case "error":
            return unexpected(message, "error \(message.error?.code ?? 0) \(message.error?.reason ?? "")")
        default:
            return unexpected(message, "unknown message kind")
        }
    }

    /// Times out requests, sends keepalives and bounds `leave`.
    mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        for (transaction, pending) in transactions.expire(now: now) {
            counters.timedOutRequests += 1
            logger.warning("Janus did not answer \(pending.request) within \(pending.timeout)")
            actions += complete(
                transaction, pending, .failure(.timeout(request: pending.request, after: pending.timeout)), now: now)
        }
        if phase == .leaving, let leaveDeadline, now >= leaveDeadline {
            phase = .closed
            leaveSteps = []
            actions.append(.finish(.leave, .timeout(request: "leave", after: settings.leaveTimeout)))
        }
        if phase == .joining || phase == .joined, sessionID != nil, let next = nextKeepalive, now >= next {
            nextKeepalive = now + settings.keepaliveInterval
            actions.append(send(.keepalive, JanusRequest(janus: "keepalive", transaction: ""), now: now))
        }
        return actions
    }

    /// The WebSocket is gone: every waiting call fails, and the bot hears `disconnected` unless
    /// it was leaving.
    mutating func connectionClosed(reason: String) -> [Action] {
        let previous = phase
        phase = .closed
        var actions: [Action] = []
        for (transaction, pending) in transactions.removeAll() {
            if let waiter = waiter(for: transaction, pending.purpose) {
                actions.append(.finish(waiter, .connection(reason: reason)))
            }
        }
        if joinPending {
            joinPending = false
            actions.append(.finish(.join, .connection(reason: reason)))
        }
        switch previous {
        case .leaving: actions.append(.finish(.leave, nil))
        case .joining, .joined: actions.append(.emit(.disconnected(reason: reason)))
        case .idle, .closed: break
        }
        return actions
    }

    // MARK: Replies

    private mutating func complete(
        _ transaction: String, _ pending: TransactionTable<Purpose>.Pending, _ result: Result<JanusMessage, JanusError>,
        now: ContinuousClock.Instant
    ) -> [Action] {
        if let waiter = waiter(for: transaction, pending.purpose) {
            if pending.purpose == .start { answerInFlight = false }
            var error: JanusError?
            if case .failure(let failure) = result { error = failure }
            var actions: [Action] = [.finish(waiter, error)]
            if pending.purpose == .start { actions += updateSubscription(now: now) }
            return actions
        }
        switch pending.purpose {
        case .leaveStep:
            if case .failure(let error) = result { logger.info("leaving: \(error)") }
            return nextLeaveStep(now: now)
        case .keepalive:
            guard case .failure(let error) = result else {
                unansweredKeepalives = 0
                return []
            }
            logger.warning("keepalive failed: \(error)")
            unansweredKeepalives += 1
            guard unansweredKeepalives >= Self.keepalivesMissedBeforeDisconnect, phase == .joining || phase == .joined
            else { return [] }
            return connectionClosed(reason: "Janus answered none of the last \(unansweredKeepalives) keepalives")
        default:
            break
        }
        guard phase == .joining || phase == .joined else { return [] }
        let message: JanusMessage
        switch result {
        case .success(let reply): message = reply
        case .failure(let error):
            switch pending.purpose {
            case .attachSubscriber: subscriberAttaching = false
            case .joinSubscriber(let feeds), .subscribe(let feeds):
                subscriptionInFlight = false
                return subscriptionFailed(feeds, error)
            default: break
            }
            return failJoin(error)
        }
        switch pending.purpose {
        case .createSession:
            guard let id = message.data?.id else { return failJoin(.invalidReply(request: "create", field: "data.id")) }
            sessionID = id
            nextKeepalive = now + settings.keepaliveInterval
            return [send(.attachControl, JanusRequest(janus: "attach", transaction: "", plugin: Self.plugin), now: now)]
        case .attachControl:
            guard let id = message.data?.id else { return failJoin(.invalidReply(request: "attach", field: "data.id")) }
            controlHandle = id
            let body = VideoRoomRequest(
                request: "join", ptype: "publisher", room: settings.room, pin: settings.pin, display: settings.displayName)
            return [send(.joinRoom, JanusRequest(janus: "message", transaction: "", handleID: id, body: body), now: now)]
        case .joinRoom:
            guard let data = message.plugindata?.data, data.videoroom == "joined" else {
                return failJoin(.invalidReply(request: "join", field: "videoroom: joined"))
            }
            privateID = data.privateID
            phase = .joined
            var actions: [Action] = []
            for publisher in data.publishers ?? [] { actions += addPublisher(publisher) }
            actions += updateSubscription(now: now)
            if !subscriberAttaching, !subscriptionInFlight {
                // Nobody publishes yet: the subscription starts with the first publisher.
                joinPending = false
                actions.append(.finish(.join, nil))
            }
            return actions
        case .attachSubscriber:
            subscriberAttaching = false
            guard let id = message.data?.id else { return failJoin(.invalidReply(request: "attach", field: "data.id")) }
            subscriberHandle = id
            return updateSubscription(now: now)
        case .joinSubscriber, .subscribe:
            subscriptionInFlight = false
            if case .joinSubscriber = pending.purpose { subscriberJoined = true }
            var actions: [Action] = []
            if let data = message.plugindata?.data { actions += subscriberEvent(data, jsep: message.jsep, now: now) }
            if joinPending {
                joinPending = false
                actions.append(.finish(.join, nil))
            }
            return actions + updateSubscription(now: now)
        case .start, .trickle, .keepalive, .leaveStep:
            return []
        }
    }

    private func waiter(for transaction: String, _ purpose: Purpose) -> Waiter? {
        purpose == .start || purpose == .trickle ? .request(transaction) : nil
    }

    /// A failure while joining fails `join()`; later ones (a subscription for a new
    /// publisher) can only be logged.
    private mutating func failJoin(_ error: JanusError) -> [Action] {
        guard joinPending else {
            logger.error("Janus subscription failed: \(error)")
            return []
        }
        joinPending = false
        return [.finish(.join, error)]
    }

    // MARK: Room events

    private mutating func controlEvent(_ data: VideoRoomData, now: ContinuousClock.Instant) -> [Action] {
        if let code = data.errorCode {
            logger.warning("VideoRoom error on the control handle: \(code) \(data.error ?? "")")
            return []
        }
        switch data.videoroom {
        case "destroyed":
            return endMeeting()
        case "event", "joined":
            var actions: [Action] = []
            for publisher in data.publishers ?? [] { actions += addPublisher(publisher) }
            for feed in [data.unpublished, data.leaving].compactMap({ $0 }) where feed != "ok" {
                actions += removePublisher(feed)
            }
            return actions + updateSubscription(now: now)
        default:
            logger.debug("VideoRoom event ignored", metadata: ["videoroom": "\(data.videoroom ?? "")"])
            return []
        }
    }

    private mutating func subscriberEvent(_ data: VideoRoomData, jsep: JSEP?, now: ContinuousClock.Instant) -> [Action] {
        if let code = data.errorCode {
            logger.warning("VideoRoom error on the subscriber handle: \(code) \(data.error ?? "")")
            return []
        }
        switch data.videoroom {
        case "attached", "updated":
            guard let jsep, jsep.type == "offer" else { return [] }
            let streams = roster.streams(offered: data.streams ?? [])
            offerAwaitingAnswer = true
            var actions: [Action] = [.emit(.offer(sdp: jsep.sdp, streams: streams))]
            if !offerReported {
                offerReported = true
                actions += bufferedCandidates.map { .emit(.remoteCandidate($0)) }
                bufferedCandidates = []
            }
            return actions
        case "destroyed":
            return endMeeting()
        default:
            return []
        }
    }

    private mutating func endMeeting() -> [Action] {
        guard !meetingEnded else { return [] }
        meetingEnded = true
        return [.emit(.meetingEnded)]
    }

    private mutating func addPublisher(_ publisher: VideoRoomData.Publisher) -> [Action] {
        guard let participant = roster.add(publisher) else { return [] }
        subscriptionWaitsForRoster = false
        return [.emit(.participantJoined(participant))]
    }

    private mutating func removePublisher(_ feed: JanusID) -> [Action] {
        guard roster.remove(feed) else { return [] }
        subscriptionWaitsForRoster = false
        return [.emit(.participantLeft(id: feed.description))]
    }

    /// Janus refused a subscription request, typically because a feed left between the roster
    /// and the request (428): the feeds still in the room are asked for again once the roster
    /// changes. Such a race does not fail `join()`, other refusals do.
    private mutating func subscriptionFailed(_ feeds: [VideoRoomRequest.Feed], _ error: JanusError) -> [Action] {
        roster.requeue(feeds)
        subscriptionWaitsForRoster = true
        logger.warning("subscribing to feeds \(feeds) failed, retrying when the roster changes: \(error)")
        guard joinPending else { return [] }
        joinPending = false
        if case .plugin(_, Self.noSuchFeed, _) = error { return [.finish(.join, nil)] }
        return [.finish(.join, error)]
    }

    /// Asks for the feeds no request has asked for yet: attaches the subscriber handle, joins
    /// it, or adds them with `subscribe`. One request at a time, and never while an offer waits
    /// for its answer (Janus renegotiates one offer at a time).
    private mutating func updateSubscription(now: ContinuousClock.Instant) -> [Action] {
        guard phase == .joined, !roster.unsubscribedFeeds.isEmpty, !subscriptionInFlight, !subscriberAttaching,
              !subscriptionWaitsForRoster, !offerAwaitingAnswer, !answerInFlight else { return [] }
        guard let handle = subscriberHandle else {
            subscriberAttaching = true
            return [send(.attachSubscriber, JanusRequest(janus: "attach", transaction: "", plugin: Self.plugin), now: now)]
        }
        let feeds = roster.takeUnsubscribedFeeds()
        subscriptionInFlight = true
        if subscriberJoined {
            let body = VideoRoomRequest(request: "subscribe", streams: feeds)
            return [send(.subscribe(feeds), JanusRequest(janus: "message", transaction: "", handleID: handle, body: body), now: now)]
        }
        let body = VideoRoomRequest(
            request: "join", ptype: "subscriber", room: settings.room, pin: settings.pin, privateID: privateID,
            streams: feeds)
        return [send(.joinSubscriber(feeds), JanusRequest(janus: "message", transaction: "", handleID: handle, body: body), now: now)]
    }

    private mutating func remoteCandidate(_ candidate: TrickleCandidate?, _ message: JanusMessage) -> [Action] {
        guard let candidate else { return unexpected(message, "trickle without a candidate") }
        let trickled: TrickledCandidate
        if candidate.completed == true || candidate.candidate?.isEmpty == true {
            trickled = .endOfCandidates
        } else if let line = candidate.candidate {
            do {
                trickled = .candidate(
                    try ICECandidate(parsing: line), sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex)
            } catch {
                counters.malformedCandidates += 1
                logger.warning("Janus trickled a candidate that does not parse: \(error)")
                return []
            }
        } else {
            return unexpected(message, "trickle without a candidate")
        }
        if offerReported { return [.emit(.remoteCandidate(trickled))] }
        guard bufferedCandidates.count < Self.candidateBufferLimit else {
            return unexpected(message, "more candidates before the offer than kept")
        }
        bufferedCandidates.append(trickled)
        return []
    }

    // MARK: Sending

    private mutating func nextLeaveStep(now: ContinuousClock.Instant) -> [Action] {
        guard phase == .leaving else { return [] }
        guard !leaveSteps.isEmpty else {
            phase = .closed
            return [.finish(.leave, nil)]
        }
        let request =
            switch leaveSteps.removeFirst() {
            case .leave(let handle):
                JanusRequest(janus: "message", transaction: "", handleID: handle, body: VideoRoomRequest(request: "leave"))
            case .detach(let handle): JanusRequest(janus: "detach", transaction: "", handleID: handle)
            case .destroy: JanusRequest(janus: "destroy", transaction: "")
            }
        return [send(.leaveStep, request, now: now)]
    }

    private mutating func send(_ purpose: Purpose, _ request: JanusRequest, now: ContinuousClock.Instant) -> Action {
        .send(prepare(purpose, request, now: now))
    }

    /// Gives `request` a transaction, the session id and the token.
    private mutating func prepare(_ purpose: Purpose, _ request: JanusRequest, now: ContinuousClock.Instant) -> JanusRequest {
        var request = request
        request.transaction = transactions.open(purpose, request: request.name, now: now, timeout: settings.requestTimeout)
        if request.janus != "create" { request.sessionID = sessionID }
        request.token = settings.token
        return request
    }

    private func waiting(_ request: JanusRequest) -> (Waiter, [Action]) {
        (.request(request.transaction), [.send(request)])
    }

    private mutating func unexpected(_ message: JanusMessage, _ reason: String) -> [Action] {
        counters.unexpectedMessages += 1
        logger.warning(
            "unexpected Janus message: \(reason)",
            metadata: ["janus": "\(message.janus)", "sender": "\(message.sender.map(String.init) ?? "none")"])
        return []
    }
}
