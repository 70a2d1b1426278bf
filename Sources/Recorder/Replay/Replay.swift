import Foundation
import MediaTypes

/// Why a replay produced nothing.
public enum ReplayError: Error, CustomStringConvertible {
    case noMedia(inputs: [String], MediaIngest.Counters)

    public var description: String {
        switch self {
        case let .noMedia(inputs, counters):
            return "no decodable media in \(inputs.joined(separator: ", ")): \(counters.datagrams) datagrams, "
                + "\(counters.notRTP) not RTP, \(counters.unknownPayloadType) of unknown payload type "
                + "(an --sdp file names payload types), \(counters.unsupportedStreams) streams of unsupported codecs"
        }
    }
}

extension MediaIngest: CompositeMediaSource {
    public func origin() throws -> MediaTime? { try nextCaptureTime() }

    public func noMediaError() -> any Error { ReplayError.noMedia(inputs: inputs, counters) }
}

/// Replays recorded RTP dumps into a composite recording: the composite pipeline over the
/// dumps' ingest, whose clock is the capture time, so the same input gives the same output.
public final class Replay {
    public struct Summary: Sendable {
        public var files: [String]
        public var mediaDuration: MediaTime
        public var wallSeconds: Double
        public var framesWritten: Int
        /// Video frames lost in transport or undecodable (jitter-buffer drops and decode errors).
        public var videoFramesDropped: Int
        public var participants: Int
        public var streams: [StreamReport]
        /// CPU time of the replay thread per stage (encoder threads not included).
        public var timing: PipelineTiming
        /// Why the replay ended early; nil when it read all of its input.
        public var stopReason: RecordingStopReason?

        public var speed: Double { wallSeconds > 0 ? mediaDuration.seconds / wallSeconds : 0 }
    }

    private let ingest: MediaIngest
    private let pipeline: CompositePipeline

    public init(sources: [DumpSource], payloadTypes: PayloadTypeMap, settings: CompositeSettings,
                playoutDelay: MediaTime = .milliseconds(600)) {
        ingest = MediaIngest(sources: sources, payloadTypes: payloadTypes)
        pipeline = CompositePipeline(source: ingest, settings: settings, playoutDelay: playoutDelay)
    }

    public func run(_ options: PipelineOptions = PipelineOptions()) throws -> Summary {
        let result = try pipeline.run(options)
        let reports = ingest.reports
        let dropped = reports.filter(\.codec.isVideo).reduce(0) { total, report in
            let buffer = report.jitterBuffer
            return total + buffer.incompleteFramesDropped + buffer.malformedFramesDropped + buffer.overflowFramesDropped
                + buffer.framesDroppedWaitingForKeyframe + report.decodeErrors
        }
        var timing = result.timing
        timing.decodeSeconds = reports.reduce(0) { $0 + $1.decodeSeconds }
        return Summary(
            files: result.files, mediaDuration: result.mediaDuration, wallSeconds: result.wallSeconds,
            framesWritten: result.framesWritten, videoFramesDropped: dropped, participants: ingest.participants.count,
            streams: reports, timing: timing, stopReason: result.stopReason)
    }
}
