import Foundation
import MediaDecode
import MediaTypes
import Synchronization

/// Why a live recording has nothing to write.
public enum LiveRecordingError: Error, CustomStringConvertible {
    case noMedia
    /// The connection to the meeting server was lost; what was recorded until then is in `kept`.
    case meetingServerLost(reason: String, kept: [String])

    public var description: String {
        switch self {
        case .noMedia: "no participant's media arrived before the recording ended"
        case let .meetingServerLost(reason, kept):
            "lost the meeting server (\(reason)); the recording until then is kept at \(kept.joined(separator: ", "))"
        }
    }
}

/// A live meeting's media as it arrives: the transport drops each participant's assembled
/// frames into the `inbox` from its own threads; the pipeline's thread decodes them and times
/// them on the recording's clock (the inbox clock, which stamps arrivals), aligning each
/// participant's tracks with `ParticipantClock`.
public final class LiveMediaSource: CompositeMediaSource {
    /// Where frames are handed over; usable from any thread.
    public final class Inbox: Sendable {
        struct Arrival: Sendable {
            enum Item: Sendable {
                case frame(EncodedFrame)
                case joined(displayName: String?)
                case left
            }

            var participant: ParticipantID
            var item: Item
            var arrival: MediaTime

            var isFrame: Bool {
                if case .frame = item { true } else { false }
            }
        }

        private let state = Mutex<(frames: [Arrival], ended: Bool)>(([], false))
        private let epoch = ContinuousClock.now

        public init() {}

        /// The inbox clock: time since the inbox was made.
        public func now() -> MediaTime {
            let elapsed = ContinuousClock.now - epoch
            return MediaTime(value: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000,
                             timescale: 1_000_000)
        }

        public func deliver(_ frame: EncodedFrame, from participant: ParticipantID) {
            put(Arrival(participant: participant, item: .frame(frame), arrival: now()))
        }

        /// The meeting said `participant` is in it: they get a tile (a placeholder until their
        /// video comes, or if it never can), labelled with `displayName`.
        public func participantJoined(_ participant: ParticipantID, displayName: String? = nil) {
            put(Arrival(participant: participant, item: .joined(displayName: displayName), arrival: now()))
        }

        /// The meeting said `participant` left: their tile goes now, not when their media stops.
        public func participantLeft(_ participant: ParticipantID) {
            put(Arrival(participant: participant, item: .left, arrival: now()))
        }

        private func put(_ arrival: Arrival) {
            state.withLock { state in
                if !state.ended { state.frames.append(arrival) }
            }
        }

        /// No more media will come (the meeting is over for the recorder).
        public func end() {
            state.withLock { $0.ended = true }
        }

        func take() -> (frames: [Arrival], ended: Bool) {
            state.withLock { state in
                defer { state.frames.removeAll(keepingCapacity: true) }
                return (state.frames, state.ended)
            }
        }

        var firstFrameArrival: MediaTime? { state.withLock { $0.frames.first(where: \.isFrame)?.arrival } }
    }

    /// What became of one video track's frames: the first thing to read when a participant's
    /// picture is missing from a recording.
    public struct VideoTrackCounters: Sendable, Equatable {
        public var participant: ParticipantID
        public var framesIn = 0
        public var framesDecoded = 0
        /// Frames the decoder dropped because it had no keyframe to start from.
        public var droppedAwaitingKeyframe = 0
        public var keyframeRequests = 0
    }

    public struct Counters: Sendable, Equatable {
        public var framesIn = 0
        public var audioBlocksDecoded = 0
        /// Video frames and audio packets the decoders could not decode.
        public var decodeErrors = 0
        /// Tracks whose codec has no decoder here (their frames are dropped).
        public var unsupportedTracks = 0
        public var videoTracks: [TrackID: VideoTrackCounters] = [:]

        public var videoFramesDecoded: Int { videoTracks.values.reduce(0) { $0 + $1.framesDecoded } }
    }

    public let inbox: Inbox
    public private(set) var counters = Counters()
    /// Called on the pipeline's thread when a video decoder needs a keyframe to go on.
    private let keyframeNeeded: (TrackID) -> Void
    private var pending: [Inbox.Arrival] = []
    private var ended = false
    /// The first arrival: the recording's zero.
    private var start: MediaTime?
    private var videoDecoders: [TrackID: VideoDecoder] = [:]
    private var audioDecoders: [TrackID: AudioDecoder] = [:]
    private var unsupported: Set<TrackID> = []
    private var clocks: [ParticipantID: ParticipantClock] = [:]
    /// Each video track's frames not decoded yet, in order of the tracks' first frames.
    private var waitingVideo: [(track: TrackID, participant: ParticipantID, frames: WaitingVideoFrames)] = []
    /// Video tracks a keyframe has arrived on.
    private var keyframeSeen: Set<TrackID> = []

    public init(inbox: Inbox, keyframeNeeded: @escaping (TrackID) -> Void = { _ in }) {
        self.inbox = inbox
        self.keyframeNeeded = keyframeNeeded
    }

    public func origin() throws -> MediaTime? {
        if start == nil { start = pending.first(where: \.isFrame)?.arrival ?? inbox.firstFrameArrival }
        return start
    }

    public func advance(through time: MediaTime, decodingVideoThrough videoHorizon: MediaTime, sink: (IngestedMedia) -> Void) throws {
        let taken = inbox.take()
        pending += taken.frames
        ended = ended || taken.ended
        let due = pending.prefix { $0.arrival <= time }
        for arrival in due { take(arrival, sink: sink) }
        pending.removeFirst(due.count)
        for index in waitingVideo.indices { decodeVideo(at: index, through: videoHorizon, sink: sink) }
    }

    public func isExhausted() throws -> Bool {
        ended && pending.isEmpty && waitingVideo.allSatisfy(\.frames.isEmpty)
    }

    public func noMediaError() -> any Error { LiveRecordingError.noMedia }

    /// Times an arrival and hands it on: roster changes and audio at once, video to its
    /// track's waiting frames.
    private func take(_ arrival: Inbox.Arrival, sink: (IngestedMedia) -> Void) {
        let participant = arrival.participant
        let frame: EncodedFrame
        switch arrival.item {
        case .frame(let encoded): frame = encoded
        case .joined(let displayName): return sink(.joined(participant: participant, localTime: arrival.arrival, displayName: displayName))
        case .left: return sink(.left(participant: participant, localTime: arrival.arrival))
        }
        counters.framesIn += 1
        let track = frame.track
        clocks[participant, default: ParticipantClock()].observePacket(track: track, media: frame.timestamp, arrival: arrival.arrival)
        guard !unsupported.contains(track) else { return }
        if frame.codec.isVideo {
            counters.videoTracks[track, default: VideoTrackCounters(participant: participant)].framesIn += 1
            // Decoding waits for the frame's time, but a track that starts without a keyframe
            // needs one now, not a playout delay later.
            if frame.isKeyframe {
                keyframeSeen.insert(track)
            } else if !keyframeSeen.contains(track) {
                counters.videoTracks[track]?.keyframeRequests += 1
                keyframeNeeded(track)
            }
            let localTime = clocks[participant]?.localTime(track: track, media: frame.timestamp)
            if let index = waitingVideo.firstIndex(where: { $0.track == track }) {
                waitingVideo[index].frames.append(frame, localTime: localTime)
            } else {
                var frames = WaitingVideoFrames()
                frames.append(frame, localTime: localTime)
                waitingVideo.append((track, participant, frames))
            }
            return
        }
        do {
            let decoder = try audioDecoders[track] ?? AudioDecoder(track: track, codec: frame.codec)
            audioDecoders[track] = decoder
            if !decoder.decode(frame, receive: { block in
                counters.audioBlocksDecoded += 1
                guard let local = clocks[participant]?.localTime(track: track, media: block.timestamp) else { return }
                sink(.audio(participant: participant, block: block, localTime: local))
            }) {
                counters.decodeErrors += 1
            }
        } catch {
            unsupported.insert(track)
            counters.unsupportedTracks += 1
        }
    }

    /// Decodes the waiting video of track `index` due by `horizon` (all of it when nil).
    private func decodeVideo(at index: Int, through horizon: MediaTime?, sink: (IngestedMedia) -> Void) {
        let track = waitingVideo[index].track, participant = waitingVideo[index].participant
        waitingVideo[index].frames.removeDue(through: horizon) { frame, frameTime in
            guard !unsupported.contains(track) else { return }
            do {
                let decoder = try videoDecoders[track] ?? VideoDecoder(track: track, codec: frame.codec)
                videoDecoders[track] = decoder
                let before = decoder.statistics
                let outcome = decoder.decode(frame) { picture in
                    counters.videoTracks[track]?.framesDecoded += 1
                    let local = WaitingVideoFrames.localTime(of: picture, decodedFrom: frame, dueAt: frameTime) { media in
                        clocks[participant]?.localTime(track: track, media: media)
                    }
                    if let local { sink(.video(participant: participant, frame: picture, localTime: local)) }
                }
                counters.decodeErrors += decoder.statistics.decodeErrors - before.decodeErrors
                counters.videoTracks[track]?.droppedAwaitingKeyframe += decoder.statistics.droppedAwaitingKeyframe - before.droppedAwaitingKeyframe
                if outcome == .requestKeyframe {
                    counters.videoTracks[track]?.keyframeRequests += 1
                    keyframeNeeded(track)
                }
            } catch {
                unsupported.insert(track)
                counters.unsupportedTracks += 1
            }
        }
    }
}
