import MediaDecode
import MediaTypes
import RTP

/// What became of one RTP stream of an input, for `tessera probe` and the replay summary.
public struct StreamReport: Sendable {
    public var ssrc: UInt32
    public var payloadType: UInt8
    public var codec: Codec
    public var codecSource: PayloadTypeMap.Source
    public var participant: ParticipantID
    public var packets = 0
    public var firstArrival: MediaTime?
    public var lastArrival: MediaTime?
    public var jitterBuffer = JitterBuffer.Statistics()
    public var framesDecoded = 0
    public var keyframes = 0
    public var decodeErrors = 0
    /// CPU time spent decoding this stream (the recording thread's).
    public var decodeSeconds: Double = 0
    /// Sizes the decoded pictures had, in order of appearance.
    public var resolutions: [String] = []

    public var duration: MediaTime {
        guard let first = firstArrival, let last = lastArrival else { return .zero }
        return last - first
    }
}

/// One RTP stream (one SSRC): jitter buffer, depacketizer and decoder, emitting decoded media
/// timed on the pipeline clock.
final class TrackIngest {
    let track: TrackID
    private(set) var report: StreamReport
    private var jitterBuffer: JitterBuffer
    private var timestamps = WrapAroundUnwrapper<UInt32>()
    private let videoDecoder: VideoDecoder?
    private let audioDecoder: AudioDecoder?
    private var timing = PipelineTiming()
    private var waiting = WaitingVideoFrames()

    init(ssrc: UInt32, payloadType: UInt8, codec: Codec, codecSource: PayloadTypeMap.Source, participant: ParticipantID) throws {
        track = TrackID("\(participant)/\(codec.isVideo ? "video" : "audio")-\(String(ssrc, radix: 16))")
        report = StreamReport(ssrc: ssrc, payloadType: payloadType, codec: codec, codecSource: codecSource, participant: participant)
        guard let depacketizer = makeDepacketizer(for: codec) else { throw MediaDecodeError.unsupportedCodec(track: track, codec: codec) }
        jitterBuffer = JitterBuffer(track: track, depacketizer: depacketizer)
        videoDecoder = codec.isVideo ? try VideoDecoder(track: track, codec: codec) : nil
        audioDecoder = codec.isVideo ? nil : try AudioDecoder(track: track, codec: codec)
    }

    var clockRate: Int64 { jitterBuffer.codec == .opus ? 48_000 : 90_000 }

    /// The unwrapped media time of an RTP timestamp of this stream (for sender reports).
    func mediaTime(ofRTPTimestamp timestamp: UInt32) -> MediaTime {
        MediaTime(value: timestamps.unwrap(timestamp), timescale: clockRate)
    }

    func insert(_ packet: RTPPacket, arrival: MediaTime) {
        report.packets += 1
        if report.firstArrival == nil { report.firstArrival = arrival }
        report.lastArrival = arrival
        _ = timestamps.unwrap(packet.timestamp)
        _ = jitterBuffer.insert(packet, arrival: arrival)
    }

    /// Takes the frames the jitter buffer releases by `now` (`finishing`: all it holds), each
    /// timed by `localTime` (pipeline clock of a media timestamp). Audio is decoded at once;
    /// video waits, encoded, until its time is at or before `videoHorizon` (nil: decodes all).
    /// Video still waiting is decoded by later calls (`hasWaitingVideo`).
    func drain(
        now: MediaTime, finishing: Bool = false, videoHorizon: MediaTime?, localTime: (MediaTime) -> MediaTime?,
        video: (VideoFrame, MediaTime) -> Void, audio: (AudioBlock, MediaTime) -> Void
    ) {
        let frames = finishing ? jitterBuffer.finish(now: now) : jitterBuffer.drain(now: now)
        report.jitterBuffer = jitterBuffer.statistics
        let previousStage = timing.enter(.decode)
        defer {
            timing.leave(to: previousStage)
            report.decodeSeconds = timing.decodeSeconds
        }
        for frame in frames {
            if frame.isKeyframe { report.keyframes += 1 }
            if videoDecoder != nil {
                waiting.append(frame, localTime: localTime(frame.timestamp))
            } else if let audioDecoder {
                audioDecoder.decode(frame) { block in
                    report.framesDecoded += 1
                    if let local = localTime(block.timestamp) { audio(block, local) }
                }
                report.decodeErrors = audioDecoder.statistics.decodeErrors
            }
        }
        guard let videoDecoder else { return }
        waiting.removeDue(through: videoHorizon) { frame, frameTime in
            let outcome = videoDecoder.decode(frame) { picture in
                report.framesDecoded += 1
                let size = "\(picture.width)x\(picture.height)"
                if report.resolutions.last != size { report.resolutions.append(size) }
                if let local = WaitingVideoFrames.localTime(of: picture, decodedFrom: frame, dueAt: frameTime, otherwise: localTime) {
                    video(picture, local)
                }
            }
            if outcome == .requestKeyframe { report.decodeErrors = videoDecoder.statistics.decodeErrors }
        }
    }

    /// Whether video frames are still waiting to be decoded.
    var hasWaitingVideo: Bool { !waiting.isEmpty }
}
