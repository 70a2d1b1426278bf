import MediaTypes
import RTP
import SDP

/// Routes a bundled connection's decrypted RTP to its tracks and keeps, per track, the jitter
/// buffer and the reception statistics that RTCP feedback is built from. Sans-IO and
/// deterministic: arrival times come in with each call.
///
/// Routing (RFC 8843 section 9.2): a packet carrying the MID header extension belongs to that
/// mid's track, and its SSRC is learned for the track; a packet without one goes by its SSRC
/// (learned, or announced by `a=ssrc` / `a=ssrc-group:FID`); failing both, by a payload type
/// that only one track negotiated. RTX packets (RFC 4588, the track's `apt` payload types) are
/// turned back into the originals and inserted as retransmissions.
public struct TrackRouter: Sendable {
    public struct Counters: Sendable, Equatable {
        public var packetsRouted = 0
        /// Packets no track claims: unknown MID, SSRC and payload type.
        public var unroutablePackets = 0
        /// Packets whose payload type the track did not accept, or whose codec has no depacketizer.
        public var unsupportedPayloadTypes = 0
        /// RTX packets restored and inserted.
        public var retransmissionsReceived = 0
        /// Padding-only RTX packets (bandwidth probes): no original inside.
        public var retransmissionProbes = 0
        /// RTX packets that could not be restored (too short, unknown media SSRC).
        public var malformedRetransmissions = 0
        /// A track's media SSRC or codec changed and its jitter buffer started over.
        public var streamRestarts = 0

        public init() {}
    }

    /// One accepted m-line and what is known of its stream.
    struct TrackState: Sendable {
        var track: ReceivedTrack
        /// Accepted payload type -> codec, from the answer's `a=rtpmap`.
        var codecs: [UInt8: Codec]
        var retransmission: RTXMapping
        var sendsNACK: Bool
        var sendsPLI: Bool
        var mediaSSRC: UInt32? = nil
        var buffer: JitterBuffer? = nil
        var statistics: ReceptionStatistics? = nil
        var keyframeRequested = false
    }

    public private(set) var counters = Counters()
    private var states: [TrackState] = []
    private var trackBySSRC: [UInt32: Int] = [:]
    private var trackByMID: [String: Int] = [:]
    /// The MID extension's ids over all receiving sections (BUNDLE makes them one, normally).
    private var midExtensionIDs: [UInt8] = []
    private let jitterBuffer: JitterBuffer.Configuration

    /// The tracks of the receiving sections of `answer` (built for `offer`).
    public init(offer: SessionDescription, answer: SessionDescription, jitterBuffer: JitterBuffer.Configuration) {
        self.jitterBuffer = jitterBuffer
        update(offer: offer, answer: answer)
    }

    /// Takes the tracks of a renegotiated `offer` and its `answer`. A section the answer
    /// receives (port not 0, not `inactive`) whose mid and kind had a track keeps that track's
    /// jitter buffer, statistics and learned SSRCs, with the newly negotiated payload types
    /// and feedback; other receiving sections get new tracks; the tracks of sections no longer
    /// received end, and nothing is routed to them afterwards.
    @discardableResult
    public mutating func update(offer: SessionDescription, answer: SessionDescription) -> TrackChanges {
        var next: [TrackState] = []
        var changes = TrackChanges()
        var nextByMID: [String: Int] = [:]
        var nextIndexOfOld: [Int: Int] = [:]
        var announced: [UInt32: Int] = [:]
        var midIDs: [UInt8] = []
        for (index, section) in answer.media.enumerated()
        where section.port != 0 && answer.direction(forMediaAt: index).receives {
            guard let mid = section.mid, nextByMID[mid] == nil, let offerIndex = offer.mediaIndex(mid: mid),
                  let kind = ReceivedTrack.Kind(rawValue: section.kind.rawValue) else { continue }
            let offered = offer.media[offerIndex]
            let track = ReceivedTrack(mid: mid, kind: kind)
            var codecs: [UInt8: Codec] = [:]
            var associated: [UInt8: UInt8] = [:]
            for codec in section.codecs {
                if codec.isRetransmission {
                    if let apt = codec.associatedPayloadType { associated[codec.payloadType] = apt }
                } else if let known = Codec.allCases.first(where: { $0.rawValue.lowercased() == codec.name.lowercased() }) {
                    codecs[codec.payloadType] = known
                }
            }
            let feedback = section.rtcpFeedback.filter { $0.type.lowercased() == "nack" }
            var state: TrackState
            if let old = states.firstIndex(where: { $0.track == track }) {
                state = states[old]
                nextIndexOfOld[old] = next.count
            } else {
                state = TrackState(track: track, codecs: [:], retransmission: RTXMapping(), sendsNACK: false, sendsPLI: false)
                changes.added.append(track)
            }
            state.codecs = codecs
            state.retransmission.associatedPayloadTypes = associated
            for pair in offered.retransmissionSSRCPairs { state.retransmission.mediaSSRCs[pair.retransmission] = pair.media }
            state.sendsNACK = feedback.contains { $0.parameter == nil }
            state.sendsPLI = feedback.contains { $0.parameter?.lowercased() == "pli" }
            if let id = answer.extensionID(for: ExtensionMap.URI.mid, inMediaAt: index),
               let byte = UInt8(exactly: id), !midIDs.contains(byte) {
                midIDs.append(byte)
            }
            for ssrc in offered.ssrcs { announced[ssrc] = next.count }
            nextByMID[mid] = next.count
            next.append(state)
        }
        changes.removed = states.indices.filter { nextIndexOfOld[$0] == nil }.map { states[$0].track }
        // Learned SSRCs follow their continuing track; those of ended tracks are forgotten.
        trackBySSRC = trackBySSRC.compactMapValues { nextIndexOfOld[$0] }.merging(announced) { _, offered in offered }
        trackByMID = nextByMID
        midExtensionIDs = midIDs
        states = next
        return changes
    }

    public var tracks: [ReceivedTrack] { states.map(\.track) }

    /// The jitter buffer statistics of each track that received media.
    public var jitterStatistics: [TrackID: JitterBuffer.Statistics] {
        var result: [TrackID: JitterBuffer.Statistics] = [:]
        for state in states { if let buffer = state.buffer { result[state.track.id] = buffer.statistics } }
        return result
    }

    // MARK: Input

    /// Routes one decrypted RTP packet; returns the frames that became ready.
    public mutating func receive(_ packet: RTPPacket, arrival: MediaTime) -> [ReceivedFrame] {
        guard let (index, confirmed) = route(packet) else {
            counters.unroutablePackets += 1
            return []
        }
        counters.packetsRouted += 1
        if states[index].retransmission.isRetransmission(packet) {
            guard packet.payload.count > 2 else {
                counters.retransmissionProbes += 1
                return []
            }
            if states[index].retransmission.mediaSSRCs[packet.ssrc] == nil, let media = states[index].mediaSSRC {
                states[index].retransmission.mediaSSRCs[packet.ssrc] = media
            }
            guard let original = try? states[index].retransmission.original(of: packet),
                  original.ssrc == states[index].mediaSSRC else {
                counters.malformedRetransmissions += 1
                return []
            }
            counters.retransmissionsReceived += 1
            return accept(original, track: index, confirmed: false, retransmitted: true, arrival: arrival)
        }
        return accept(packet, track: index, confirmed: confirmed, retransmitted: false, arrival: arrival)
    }

    /// Frames released because waiting for a missing packet ended at `now`.
    public mutating func drain(now: MediaTime) -> [ReceivedFrame] {
        var frames: [ReceivedFrame] = []
        for index in states.indices {
            guard let released = states[index].buffer?.drain(now: now) else { continue }
            frames += released.map { ReceivedFrame(track: states[index].track, frame: $0) }
        }
        return frames
    }

    /// Asks for a keyframe (PLI) on `track` with the next feedback; false for an unknown track.
    @discardableResult
    public mutating func requestKeyframe(track: TrackID) -> Bool {
        guard let index = states.firstIndex(where: { $0.track.id == track }) else { return false }
        states[index].keyframeRequested = true
        return true
    }

    /// Notes a sender report, for the LSR/DLSR fields of the next reception report.
    public mutating func receive(_ report: SenderReport, arrival: MediaTime) {
        guard let index = trackBySSRC[report.ssrc], states[index].mediaSSRC == report.ssrc else { return }
        states[index].statistics?.recordSenderReport(ntpTimestamp: report.ntpTimestamp, arrival: arrival)
    }

    // MARK: Output

    /// NACKs for the packets each jitter buffer wants again and PLIs for the keyframes wanted,
    /// each only where the answer negotiated it (`a=rtcp-fb:<pt> nack` / `nack pli`).
    public mutating func feedback(senderSSRC: UInt32, now: MediaTime) -> [RTCPPacket] {
        var packets: [RTCPPacket] = []
        for index in states.indices {
            guard let mediaSSRC = states[index].mediaSSRC, states[index].buffer != nil else { continue }
            let lost = states[index].buffer?.nackList(now: now) ?? []
            if states[index].sendsNACK, !lost.isEmpty {
                packets.append(.nack(GenericNACK(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, lostSequenceNumbers: lost)))
            }
            let wanted = states[index].buffer?.takeKeyframeRequest() == true || states[index].keyframeRequested
            states[index].keyframeRequested = false
            if wanted, states[index].sendsPLI {
                packets.append(.pictureLossIndication(PictureLossIndication(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC)))
            }
        }
        return packets
    }

    /// One reception report per media stream that has received packets.
    public mutating func receptionReports(now: MediaTime) -> [ReceptionReport] {
        states.indices.compactMap { states[$0].statistics?.makeReport(now: now) }
    }

    // MARK: Routing

    /// The track of `packet`, and whether its MID or SSRC named the track (rather than a guess
    /// from the payload type).
    private mutating func route(_ packet: RTPPacket) -> (Int, confirmed: Bool)? {
        for id in midExtensionIDs {
            if let mid = try? packet.extensions.mid(id: id), let index = trackByMID[mid] {
                trackBySSRC[packet.ssrc] = index
                return (index, true)
            }
        }
        if let index = trackBySSRC[packet.ssrc] { return (index, true) }
        let candidates = states.indices.filter {
            states[$0].codecs[packet.payloadType] != nil
                || states[$0].retransmission.associatedPayloadTypes[packet.payloadType] != nil
        }
        guard candidates.count == 1, let index = candidates.first else { return nil }
        return (index, false)
    }

    private mutating func accept(
        _ packet: RTPPacket, track index: Int, confirmed: Bool, retransmitted: Bool, arrival: MediaTime
    ) -> [ReceivedFrame] {
        guard let codec = states[index].codecs[packet.payloadType] else {
            counters.unsupportedPayloadTypes += 1
            return []
        }
        let current = states[index]
        if current.mediaSSRC != packet.ssrc {
            guard current.mediaSSRC == nil || confirmed else {
                counters.unroutablePackets += 1
                return []
            }
            startStream(track: index, ssrc: packet.ssrc, codec: codec)
        } else if current.buffer?.codec != codec {
            startStream(track: index, ssrc: packet.ssrc, codec: codec)
        }
        guard states[index].buffer != nil else {
            counters.unsupportedPayloadTypes += 1  // a codec without a depacketizer
            return []
        }
        states[index].statistics?.record(
            sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, arrival: arrival,
            retransmitted: retransmitted)
        states[index].buffer?.insert(packet, arrival: arrival, retransmitted: retransmitted)
        let frames = states[index].buffer?.drain(now: arrival) ?? []
        return frames.map { ReceivedFrame(track: states[index].track, frame: $0) }
    }

    private mutating func startStream(track index: Int, ssrc: UInt32, codec: Codec) {
        guard let depacketizer = makeDepacketizer(for: codec) else { return }
        if states[index].buffer != nil { counters.streamRestarts += 1 }
        if let previous = states[index].mediaSSRC, previous != ssrc, trackBySSRC[previous] == index {
            trackBySSRC[previous] = nil
        }
        states[index].mediaSSRC = ssrc
        trackBySSRC[ssrc] = index
        states[index].buffer = JitterBuffer(
            track: states[index].track.id, depacketizer: depacketizer, configuration: jitterBuffer)
        states[index].statistics = ReceptionStatistics(ssrc: ssrc, clockRate: depacketizer.clockRate)
    }
}
