import Foundation
import Logging
import MediaTypes
import SDP
import SignalingClient
import Synchronization
import WebRTCTransport

/// A live meeting as the recorder sees it: the signaling session, the one peer connection that
/// carries every participant's media, and the roster the stop rules watch. Frames go into a
/// `LiveMediaSource.Inbox` under the participant whose stream (mid) they arrived on.
///
/// Bad input from the meeting server (an offer that cannot be answered, a codec nobody here
/// decodes) is logged and skipped: the affected participants show their placeholder and the
/// recording goes on.
public final class LiveMeeting: Sendable {
    public struct Options: Sendable {
        public var transport: PeerConnectionConfiguration
        /// Stop (ALL_PARTICIPANTS_LEFT) after nobody but the bot published for this long.
        public var emptyMeetingTimeout: Duration

        public init(transport: PeerConnectionConfiguration, emptyMeetingTimeout: Duration) {
            self.transport = transport
            self.emptyMeetingTimeout = emptyMeetingTimeout
        }
    }

    private struct State {
        var connection: PeerConnection?
        var participantOfMid: [String: ParticipantID] = [:]
        /// Participants with an active stream in the latest offer, or announced since.
        var present: Set<String> = []
        var emptySince: ContinuousClock.Instant? = .now
        /// Why the connection to the meeting server was lost, if it was.
        var lost: String?
        var offersRefused = 0
    }

    private let signaling: any MeetingSignaling
    private let options: Options
    private let inbox: LiveMediaSource.Inbox
    private let control: RecordingControl
    private let logger: Logger
    private let state = Mutex(State())

    public init(
        signaling: any MeetingSignaling, options: Options, inbox: LiveMediaSource.Inbox, control: RecordingControl,
        logger: Logger
    ) {
        self.signaling = signaling
        self.options = options
        self.inbox = inbox
        self.control = control
        self.logger = logger
    }

    /// Why the meeting server was lost during the recording; nil when it was not.
    public var lostServer: String? { state.withLock { $0.lost } }

    /// Connects and joins the meeting (a failure here is "could not join").
    public func join() async throws {
        try await signaling.join()
        logger.info("joined the meeting")
    }

    /// Handles the meeting's events and the empty-meeting rule until a stop is requested or
    /// the server goes away, then leaves the meeting and closes the connection.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.handleEvents() }
            group.addTask { await self.watchStopRules() }
            // Whichever ends first (a stop, or the server gone) ends the other.
            await group.next()
            group.cancelAll()
        }
        await signaling.leave()
        await state.withLock { $0.connection }?.close()
        logger.info("left the meeting")
    }

    /// A keyframe request from a decoder, sent as PLI on the participant's track.
    public func requestKeyframe(track: TrackID) {
        state.withLock { $0.connection }?.requestKeyframe(track: track)
    }

    private func watchStopRules() async {
        while !Task.isCancelled, control.stopReason == nil {
            let emptySince = state.withLock { $0.emptySince }
            if let emptySince, ContinuousClock.now - emptySince >= options.emptyMeetingTimeout {
                logger.notice("nobody but the recorder in the meeting", metadata: ["seconds": "\(options.emptyMeetingTimeout.components.seconds)"])
                control.requestStop(.allParticipantsLeft)
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    private func handleEvents() async {
        for await event in signaling.events {
            if Task.isCancelled { return }
            switch event {
            case .participantJoined(let participant):
                logger.info("participant joined", metadata: ["participant": "\(participant.id)", "display_name": "\(participant.displayName ?? "")"])
                updatePresence { $0.insert(participant.id) }
                inbox.participantJoined(ParticipantID(participant.id), displayName: participant.displayName)
            case .participantLeft(let id):
                logger.info("participant left", metadata: ["participant": "\(id)"])
                updatePresence { $0.remove(id) }
                inbox.participantLeft(ParticipantID(id))
            case .offer(let sdp, let streams):
                await answer(sdp, streams: streams)
            case .remoteCandidate(.candidate(let candidate, _, _)):
                state.withLock { $0.connection }?.addRemoteCandidate(candidate)
            case .remoteCandidate(.endOfCandidates):
                state.withLock { $0.connection }?.endOfRemoteCandidates()
            case .mediaUp:
                logger.info("media connection up")
            case .hangup(let reason):
                logger.warning("the meeting server closed the media connection", metadata: ["reason": "\(reason)"])
            case .meetingEnded:
                logger.notice("the meeting ended")
                control.requestStop(.meetingEnded)
                return
            case .disconnected(let reason):
                logger.error("lost the meeting server", metadata: ["reason": "\(reason)"])
                state.withLock { $0.lost = reason }
                control.requestStop(.meetingEnded)
                return
            }
        }
    }

    private func updatePresence(_ change: (inout Set<String>) -> Void) {
        state.withLock { state in
            change(&state.present)
            if state.present.isEmpty {
                if state.emptySince == nil { state.emptySince = .now }
            } else {
                state.emptySince = nil
            }
        }
    }

    /// Whose tile each active stream of an offer feeds: a participant's audio and first video
    /// stream are theirs; a further video stream (a screen share on the same connection) gets
    /// a tile of its own (`ParticipantID.screenShare`), so the two pictures do not take turns
    /// in one, and the presentation layout can show it large.
    static func tileOwners(of streams: [SubscribedStream]) -> [String: ParticipantID] {
        var owners: [String: ParticipantID] = [:]
        var withVideo: Set<String> = []
        for stream in streams where stream.active {
            let id = stream.participant.id
            let isFurtherVideo = stream.kind == "video" && !withVideo.insert(id).inserted
            owners[stream.mid] = isFurtherVideo ? .screenShare(of: id, stream: stream.mid) : ParticipantID(id)
        }
        return owners
    }

    /// Answers an offer: the first one sets up the peer connection, later ones renegotiate it.
    private func answer(_ sdp: String, streams: [SubscribedStream]) async {
        let owners = Self.tileOwners(of: streams)
        state.withLock { state in
            for stream in streams { state.participantOfMid[stream.mid] = owners[stream.mid] }
        }
        updatePresence { present in
            present = Set(streams.filter(\.active).map(\.participant.id))
        }
        logger.info("offer received", metadata: [
            "streams": "\(streams.filter(\.active).map { "\($0.mid):\($0.kind):\($0.codec ?? "?")@\($0.participant.id)" })",
        ])
        do {
            let answer: SessionDescription
            if let connection = state.withLock({ $0.connection }) {
                answer = try await connection.renegotiate(offer: sdp)
            } else {
                let connection = try await PeerConnection.answering(offer: sdp, configuration: options.transport)
                state.withLock { $0.connection = connection }
                consume(connection)
                answer = connection.answer
                logger.info("media connection set up", metadata: ["local_address": "\(connection.localAddress)"])
            }
            try await signaling.answer(sdp: answer.text)
            try await signaling.endOfCandidates()
        } catch {
            let refused = state.withLock { state in
                state.offersRefused += 1
                return state.offersRefused
            }
            logger.error("cannot answer the meeting server's offer; its streams are not recorded",
                         metadata: ["error": "\(error)", "offers_refused": "\(refused)"])
        }
    }

    /// Hands the connection's frames to the inbox and logs its state changes.
    private func consume(_ connection: PeerConnection) {
        let inbox = inbox, logger = logger
        Task {
            for await received in connection.frames {
                guard let participant = state.withLock({ $0.participantOfMid[received.track.mid] }) else { continue }
                inbox.deliver(received.frame, from: participant)
            }
        }
        Task {
            for await event in connection.events {
                switch event {
                case .failed(let error): logger.error("media connection failed", metadata: ["error": "\(error)"])
                case .closedByPeer: logger.warning("the meeting server closed DTLS")
                case .localCandidate(let candidate):
                    try? await signaling.trickle(candidate: candidate.signalingString, sdpMid: nil, sdpMLineIndex: 0)
                default: logger.info("media connection", metadata: ["event": "\(event)"])
                }
            }
        }
    }
}
