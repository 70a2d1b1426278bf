import Foundation
import MediaEncode
import MediaTypes

/// Decoded media on a pipeline clock, as it becomes available: recorded dumps (`MediaIngest`)
/// or a live meeting (`LiveMediaSource`).
public protocol CompositeMediaSource: AnyObject {
    /// The pipeline-clock time that becomes the recording's zero; nil while not known yet (a
    /// live meeting before its first media).
    func origin() throws -> MediaTime?
    /// Processes everything available up to `time`, handing decoded media to `sink`. Video due
    /// after `videoHorizon` may stay encoded until a later call (decoded pictures are large).
    func advance(through time: MediaTime, decodingVideoThrough videoHorizon: MediaTime, sink: (IngestedMedia) -> Void) throws
    /// Whether no more media will come.
    func isExhausted() throws -> Bool
    /// Why nothing came, when `origin` never became known.
    func noMediaError() -> any Error
}

/// How a pipeline runs beside what it reads: its pace, who may stop or pause it, and whom it tells.
public struct PipelineOptions {
    public enum Pacing: Sendable {
        /// As fast as the CPU allows (re-rendering a past meeting).
        case asFastAsPossible
        /// At the speed the meeting happens: live recordings, and replays that exercise the
        /// control endpoint, signals and orchestrators against a known meeting.
        case realTime
    }

    public var pacing: Pacing
    /// Stop and pause requests, read once per output tick.
    public var control: RecordingControl?
    /// The recording stops (reason MAX_SECONDS) once the output is this long.
    public var maxDuration: MediaTime?
    /// Called once, when the output file is created (with the first decoded media).
    public var started: (_ outputFileName: String) -> Void
    /// Called after each second of the meeting's time (paused spans included).
    public var progress: (PipelineProgress) -> Void

    public init(
        pacing: Pacing = .asFastAsPossible, control: RecordingControl? = nil, maxDuration: MediaTime? = nil,
        started: @escaping (String) -> Void = { _ in }, progress: @escaping (PipelineProgress) -> Void = { _ in }
    ) {
        self.pacing = pacing
        self.control = control
        self.maxDuration = maxDuration
        self.started = started
        self.progress = progress
    }
}

/// Where a running pipeline is, once a second.
public struct PipelineProgress: Sendable {
    /// The meeting's time (paused spans included).
    public var time: MediaTime
    public var statistics: CompositeRecording.Statistics
    /// Participants in the picture now.
    public var participants: Int
}

/// Turns a media source into a composite recording, one output tick at a time, as fast as the
/// CPU allows or in real time.
///
/// Before output tick t, everything the source has up to t plus the playout delay is processed:
/// for a replay (whose clock is the capture time of the dumps, so the same input gives the same
/// output) that is what a live recorder would have received by then; live, ticks run that much
/// behind the wall clock. A pause takes effect at that horizon too: what was received before
/// the request is recorded, what arrives while paused is not, and the output axis closes the gap.
public final class CompositePipeline {
    public struct Summary: Sendable {
        public var files: [String]
        public var mediaDuration: MediaTime
        public var wallSeconds: Double
        public var framesWritten: Int
        /// Why the pipeline ended early; nil when its source ran out.
        public var stopReason: RecordingStopReason?
        public var timing: PipelineTiming

        public var speed: Double { wallSeconds > 0 ? mediaDuration.seconds / wallSeconds : 0 }
    }

    public let settings: CompositeSettings
    public let playoutDelay: MediaTime
    private let source: any CompositeMediaSource

    public init(source: any CompositeMediaSource, settings: CompositeSettings, playoutDelay: MediaTime = .milliseconds(600)) {
        self.settings = settings
        self.playoutDelay = playoutDelay
        self.source = source
    }

    public func run(_ options: PipelineOptions = PipelineOptions()) throws -> Summary {
        let started = Date()
        let fps = Int64(settings.output.video.fps)
        let outputFileName = (settings.output.path as NSString).lastPathComponent
        var wallStart = ContinuousClock.now
        var recording: CompositeRecording?
        var paused = PausedSpans()
        var stopReason: RecordingStopReason?
        var start: MediaTime?
        /// Participants the meeting announced before the recording had media.
        var announced: [ParticipantID: (time: MediaTime, displayName: String?)] = [:]
        /// How far the source has been read.
        var readHorizon: MediaTime?

        /// Reads the source through `readHorizon` and puts what it hands over into the recording.
        func advanceSource(decodingVideoThrough videoHorizon: MediaTime) throws {
            guard let start, let readHorizon else { return }
            var failure: MediaEncodeError?
            try source.advance(through: readHorizon, decodingVideoThrough: videoHorizon) { media in
                do throws(MediaEncodeError) {
                    let (participant, captured) = media.origin
                    guard let time = paused.outputTime(for: captured - start) else { return }
                    // The output file is created with the first decoded media, not before.
                    func opened() throws(MediaEncodeError) -> CompositeRecording {
                        if let recording { return recording }
                        let made = try CompositeRecording(settings: settings)
                        for (participant, joined) in announced.sorted(by: { $0.value.time < $1.value.time }) {
                            made.announce(participant, at: joined.time, displayName: joined.displayName)
                        }
                        recording = made
                        options.started(outputFileName)
                        return made
                    }
                    switch media {
                    case let .joined(_, _, displayName):
                        if let recording {
                            recording.announce(participant, at: time, displayName: displayName)
                        } else {
                            announced[participant] = (time, displayName)
                        }
                    case .left:
                        if let recording { recording.remove(participant, at: time) } else { announced[participant] = nil }
                    case let .video(_, frame, _): try opened().add(video: frame, from: participant, at: time)
                    case let .audio(_, block, _): try opened().add(audio: block, from: participant, at: time)
                    }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
        var tick: Int64 = 0
        while true {
            let clock = MediaTime(value: tick, timescale: fps)
            if options.pacing == .realTime {
                let due = (playoutDelay + MediaTime(value: tick, timescale: fps)).seconds
                let wait = due - (ContinuousClock.now - wallStart) / .seconds(1)
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
            if let control = options.control {
                if let reason = control.stopReason {
                    stopReason = reason
                    break
                }
                if control.isPaused { paused.pause(at: clock + playoutDelay) } else { paused.resume(at: clock + playoutDelay) }
            }
            if start == nil {
                start = try source.origin()
                guard start != nil else {
                    if try source.isExhausted() { break }
                    tick += 1
                    continue
                }
                // The recording's clock starts here, and real-time pacing with it.
                tick = 0
                wallStart = ContinuousClock.now
                continue
            }
            guard let start else { break }
            // Video is decoded just ahead of the tick that shows it (its frames are due half a
            // tick after their time), not a playout delay ahead.
            readHorizon = start + clock + playoutDelay
            try advanceSource(decodingVideoThrough: start + MediaTime(value: tick + 1, timescale: fps))
            let output = paused.outputTime(for: clock)
            if try source.isExhausted() {
                // Nothing more will come: stop once the output has caught up with the last media.
                guard let output, let last = recording?.lastMediaTime, output <= last else { break }
            }
            if let output {
                try recording?.render(through: output)
                if let maxDuration = options.maxDuration, output >= maxDuration {
                    stopReason = .maxSeconds
                    break
                }
            }
            if tick % fps == 0, tick > 0 {
                options.progress(PipelineProgress(
                    time: clock, statistics: recording?.statistics ?? CompositeRecording.Statistics(),
                    participants: output.flatMap { recording?.roster(at: $0).count } ?? 0))
            }
            tick += 1
        }
        // A stop finishes the file through the media already read: its video is decoded now.
        if let readHorizon { try advanceSource(decodingVideoThrough: readHorizon) }
        guard let recording else { throw source.noMediaError() }
        let files = try recording.finish(through: options.maxDuration)
        return Summary(
            files: files, mediaDuration: MediaTime(value: Int64(recording.statistics.ticks), timescale: fps),
            wallSeconds: Date().timeIntervalSince(started), framesWritten: recording.statistics.ticks,
            stopReason: stopReason, timing: recording.timing)
    }
}
