import Foundation
import MediaTypes
import RTP

/// Decoded media (and roster changes) from an input, timed on the local clock (the capture
/// clock of the dumps, the arrival clock live).
public enum IngestedMedia {
    case video(participant: ParticipantID, frame: VideoFrame, localTime: MediaTime)
    case audio(participant: ParticipantID, block: AudioBlock, localTime: MediaTime)
    /// The meeting said the participant is in it, or left (live only: dumps have no roster).
    case joined(participant: ParticipantID, localTime: MediaTime, displayName: String?)
    case left(participant: ParticipantID, localTime: MediaTime)

    /// Whose it is and when it was captured.
    public var origin: (participant: ParticipantID, localTime: MediaTime) {
        switch self {
        case let .video(participant, _, localTime), let .audio(participant, _, localTime), let .joined(participant, localTime, _),
            let .left(participant, localTime):
            (participant, localTime)
        }
    }
}

/// Reads recorded RTP from dumps in capture order, as a receiver would have seen it: streams
/// are found by SSRC, RTCP sender reports align each participant's tracks, every stream goes
/// through its jitter buffer and decoder. Bad packets are counted, never fatal.
public final class MediaIngest {
    public struct Counters: Sendable, Equatable {
        public var datagrams = 0
        public var rtcpPackets = 0
        /// Datagrams that are neither RTP nor RTCP, or do not parse.
        public var notRTP = 0
        /// RTP packets whose payload type no SDP, header or common type describes.
        public var unknownPayloadType = 0
        /// Streams whose codec Tessera cannot decode.
        public var unsupportedStreams = 0
    }

    public private(set) var counters = Counters()
    /// What was found per stream, in order of first appearance.
    public var reports: [StreamReport] { streamOrder.compactMap { tracks[$0]?.report } }
    /// Participants in order of their first packet.
    public private(set) var participants: [ParticipantID] = []

    private var sources: [DumpSource]
    private var pending: [CapturedDatagram?]
    private let payloadTypes: PayloadTypeMap
    /// The dumps' paths, for messages.
    var inputs: [String] { sources.map(\.path) }
    private var tracks: [UInt32: TrackIngest] = [:]
    private var streamOrder: [UInt32] = []
    private var unsupported: Set<UInt32> = []
    private var clocks: [ParticipantID: ParticipantClock] = [:]
    private var participantOfSSRC: [UInt32: ParticipantID] = [:]
    /// How far on the pipeline clock video is decoded (nil: all of it).
    private var videoHorizon: MediaTime?
    /// Capture time of the newest datagram read.
    public private(set) var now: MediaTime?

    public init(sources: [DumpSource], payloadTypes: PayloadTypeMap = PayloadTypeMap()) {
        self.sources = sources
        self.pending = Array(repeating: nil, count: sources.count)
        self.payloadTypes = payloadTypes.filled(from: .commonPayloadTypes)
    }

    /// Reads and processes every datagram captured up to `time`, handing decoded media to
    /// `sink`; video is decoded once its time is at or before `videoHorizon`. At the end of the
    /// inputs the jitter buffers are flushed.
    public func advance(through time: MediaTime, decodingVideoThrough videoHorizon: MediaTime, sink: (IngestedMedia) -> Void) throws {
        self.videoHorizon = videoHorizon
        try advance(notAfter: time, sink: sink)
    }

    /// Reads, processes and decodes everything left in the inputs.
    public func advanceToEnd(sink: (IngestedMedia) -> Void) throws {
        videoHorizon = nil
        try advance(notAfter: nil, sink: sink)
    }

    private func advance(notAfter time: MediaTime?, sink: (IngestedMedia) -> Void) throws {
        while let (index, datagram) = try nextDatagram(notAfter: time) {
            pending[index] = nil
            now = datagram.captureTime
            process(datagram, from: sources[index], sink: sink)
        }
        if let time { drain(now: time, finishing: false, sink: sink) }
        if try inputsExhausted() { drain(now: now ?? .zero, finishing: true, sink: sink) }
    }

    /// The earliest pending datagram across all sources, if it is not after `time`.
    private func nextDatagram(notAfter time: MediaTime?) throws -> (Int, CapturedDatagram)? {
        var best: (Int, CapturedDatagram)?
        for index in sources.indices {
            if pending[index] == nil { pending[index] = try sources[index].next() }
            guard let candidate = pending[index] else { continue }
            if best == nil || candidate.captureTime < best!.1.captureTime { best = (index, candidate) }
        }
        guard let best, time.map({ best.1.captureTime <= $0 }) ?? true else { return nil }
        return best
    }

    /// Capture time of the earliest datagram not yet processed; nil when the inputs hold none.
    public func nextCaptureTime() throws -> MediaTime? {
        try nextDatagram(notAfter: nil)?.1.captureTime
    }

    /// Whether every datagram of every input has been processed and all video decoded.
    public func isExhausted() throws -> Bool {
        try inputsExhausted() && !tracks.values.contains { $0.hasWaitingVideo }
    }

    private func inputsExhausted() throws -> Bool {
        for index in sources.indices where pending[index] == nil {
            pending[index] = try sources[index].next()
        }
        return pending.allSatisfy { $0 == nil }
    }

    private func process(_ datagram: CapturedDatagram, from source: DumpSource, sink: (IngestedMedia) -> Void) {
        counters.datagrams += 1
        let bytes = datagram.payload
        if RTPPacket.isRTCP(bytes) {
            counters.rtcpPackets += 1
            guard let packets = try? RTCPPacket.parseCompound(bytes) else {
                counters.notRTP += 1
                return
            }
            for case let .senderReport(report) in packets { observe(report, at: datagram.captureTime) }
            return
        }
        guard let packet = try? RTPPacket(bytes: bytes) else {
            counters.notRTP += 1
            return
        }
        guard let track = track(for: packet, datagram: datagram, source: source) else { return }
        let participant = track.report.participant
        clocks[participant, default: ParticipantClock()].observePacket(
            track: track.track, media: track.mediaTime(ofRTPTimestamp: packet.timestamp), arrival: datagram.captureTime)
        track.insert(packet, arrival: datagram.captureTime)
        drain(track, now: datagram.captureTime, finishing: false, sink: sink)
    }

    private func track(for packet: RTPPacket, datagram: CapturedDatagram, source: DumpSource) -> TrackIngest? {
        if let existing = tracks[packet.ssrc] { return existing }
        if unsupported.contains(packet.ssrc) { return nil }
        let codec: Codec, codecSource: PayloadTypeMap.Source
        if let fixed = source.codec {
            (codec, codecSource) = (fixed, .recordingHeader)
        } else if let found = payloadTypes.lookup(packet.payloadType, port: datagram.destination?.port), found.entry.retransmits == nil {
            (codec, codecSource) = (found.entry.codec, found.source)
        } else {
            counters.unknownPayloadType += 1
            return nil
        }
        let participant = source.participant ?? ParticipantID(datagram.source.map { "\($0)" } ?? "ssrc-\(String(packet.ssrc, radix: 16))")
        do {
            let track = try TrackIngest(ssrc: packet.ssrc, payloadType: packet.payloadType, codec: codec, codecSource: codecSource, participant: participant)
            tracks[packet.ssrc] = track
            streamOrder.append(packet.ssrc)
            participantOfSSRC[packet.ssrc] = participant
            if !participants.contains(participant) { participants.append(participant) }
            return track
        } catch {
            unsupported.insert(packet.ssrc)
            counters.unsupportedStreams += 1
            return nil
        }
    }

    private func observe(_ report: SenderReport, at arrival: MediaTime) {
        guard let track = tracks[report.ssrc], let participant = participantOfSSRC[report.ssrc] else { return }
        clocks[participant, default: ParticipantClock()].observeSenderReport(
            track: track.track, media: track.mediaTime(ofRTPTimestamp: report.rtpTimestamp), wallClock: MediaIngest.wallClock(ntp: report.ntpTimestamp))
    }

    /// NTP 32.32 fixed point seconds as a `MediaTime` in nanoseconds.
    static func wallClock(ntp: UInt64) -> MediaTime {
        let seconds = Int64(ntp >> 32), fraction = Int64(ntp & 0xFFFF_FFFF)
        return MediaTime(value: seconds * 1_000_000_000 + (fraction * 1_000_000_000) >> 32, timescale: 1_000_000_000)
    }

    private func drain(now: MediaTime, finishing: Bool, sink: (IngestedMedia) -> Void) {
        for ssrc in streamOrder { if let track = tracks[ssrc] { drain(track, now: now, finishing: finishing, sink: sink) } }
    }

    private func drain(_ track: TrackIngest, now: MediaTime, finishing: Bool, sink: (IngestedMedia) -> Void) {
        let participant = track.report.participant
        track.drain(now: now, finishing: finishing, videoHorizon: videoHorizon) { media in
            clocks[participant]?.localTime(track: track.track, media: media)
        } video: { frame, local in
            sink(.video(participant: participant, frame: frame, localTime: local))
        } audio: { block, local in
            sink(.audio(participant: participant, block: block, localTime: local))
        }
    }
}
