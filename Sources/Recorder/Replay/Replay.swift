import Foundation
import MediaEncode
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

/// Replays recorded RTP into a composite recording, as fast as the CPU allows.
///
/// The clock is virtual: time advances with the packets' capture times, so the same input gives
/// the same output. Axis zero is the first captured datagram. Before output tick t, every
/// datagram captured up to t plus the playout delay is processed, as a live recorder would have
/// received it by then.
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

        public var speed: Double { wallSeconds > 0 ? mediaDuration.seconds / wallSeconds : 0 }
    }

    public let settings: CompositeSettings
    public let playoutDelay: MediaTime
    private let ingest: MediaIngest
    private let inputs: [String]

    public init(sources: [DumpSource], payloadTypes: PayloadTypeMap, settings: CompositeSettings,
                playoutDelay: MediaTime = .milliseconds(600)) {
        self.settings = settings
        self.playoutDelay = playoutDelay
        self.ingest = MediaIngest(sources: sources, payloadTypes: payloadTypes)
        self.inputs = sources.map(\.path)
    }

    /// Runs the replay; `progress` is called after each second of output media.
    public func run(progress: (MediaTime) -> Void = { _ in }) throws -> Summary {
        let started = Date()
        guard let start = try ingest.nextCaptureTime() else { throw ReplayError.noMedia(inputs: inputs, ingest.counters) }
        var recording: CompositeRecording?
        var tick: Int64 = 0
        let fps = Int64(settings.output.video.fps)
        while true {
            let time = MediaTime(value: tick, timescale: fps)
            var failure: MediaEncodeError?
            try ingest.advance(through: start + time + playoutDelay) { media in
                do throws(MediaEncodeError) {
                    // The output file is created with the first decoded media, not before.
                    if recording == nil { recording = try CompositeRecording(settings: settings) }
                    switch media {
                    case let .video(participant, frame, localTime): recording!.add(video: frame, from: participant, at: localTime - start)
                    case let .audio(participant, block, localTime): recording!.add(audio: block, from: participant, at: localTime - start)
                    }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            let exhausted = try ingest.isExhausted()
            if exhausted, recording?.lastMediaTime.map({ time > $0 }) ?? true { break }
            try recording?.render(through: time)
            if tick % fps == 0, tick > 0 { progress(time) }
            tick += 1
        }
        guard let recording else { throw ReplayError.noMedia(inputs: inputs, ingest.counters) }
        let files = try recording.finish()
        let reports = ingest.reports
        let dropped = reports.filter(\.codec.isVideo).reduce(0) { total, report in
            let buffer = report.jitterBuffer
            return total + buffer.incompleteFramesDropped + buffer.malformedFramesDropped + buffer.overflowFramesDropped
                + buffer.framesDroppedWaitingForKeyframe + report.decodeErrors
        }
        var timing = recording.timing
        timing.decodeSeconds = reports.reduce(0) { $0 + $1.decodeSeconds }
        return Summary(
            files: files, mediaDuration: MediaTime(value: Int64(recording.statistics.ticks), timescale: fps),
            wallSeconds: Date().timeIntervalSince(started), framesWritten: recording.statistics.ticks,
            videoFramesDropped: dropped, participants: ingest.participants.count, streams: reports, timing: timing)
    }
}
