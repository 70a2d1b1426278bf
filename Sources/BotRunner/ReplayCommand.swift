import ArgumentParser
import Compositor
import Foundation
import JobConfig
import Logging
import MediaDecode
import MediaEncode
import MediaTypes
import Recorder

/// `tessera replay`: recorded RTP dumps in, the composite file `record` would have written out.
/// With a job's storage and webhook it goes through the same states and uploads as `record`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay pcap/pcapng captures or folders of Janus .mjr recordings into one composite file.",
        discussion: """
            The job config's video_config (codec, size, fps, layout), audio_config, max_seconds, storage_config \
            and webhook apply; the status file is written next to the output (OUT.status.json). Deterministic: \
            the same input gives the same output. SIGTERM/SIGINT finish the file early, as a stop.
            """
    )

    @Argument(help: "Capture files, .mjr files, or folders of .mjr files.") var dumps: [String]
    @Option(help: "The composite file to write (.mp4 for H264, .webm for VP8).") var out: String
    @Option(help: "SDP describing the payload types (repeatable).") var sdp: [String] = []
    @Flag(help: "Replay at the speed the meeting happened instead of as fast as possible.") var realtime = false
    @OptionGroup var config: ConfigOptions
    @OptionGroup var session: SessionOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let job = try config.resolve()
        let sessionOptions = try session.sessionOptions()
        let logger = logging.bootstrap(recordingID: job.recordingID)
        let settings = try CompositeSettings(job: job, outputPath: out)
        let payloadTypes = try payloadTypes(fromSDPFiles: sdp)
        let dumps = dumps, out = out, realtime = realtime
        _ = try DumpSource.open(dumps)
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let recording = try RecordingSession(
            job: job, meetingID: job.meeting?.room.description ?? ((out as NSString).lastPathComponent as NSString).deletingPathExtension,
            statusFile: RecordingStatusFile(nextToOutput: out), options: sessionOptions, logger: logger)
        logger.info("replay started", metadata: ["inputs": "\(dumps)", "output": "\(out)"])
        let outcome = await recording.runTrappingSignals(logger: logger) { context in
            let summary = try await onOwnThread {
                // The total for the progress bar costs a second pass over the dumps: only for a terminal.
                let progress = ProgressLine()
                if progress.enabled { progress.total = try DumpSource.captureSpan(dumps).map { $0.last - $0.first } }
                let replay = Replay(sources: try DumpSource.open(dumps), payloadTypes: payloadTypes, settings: settings)
                var metrics = PipelineMetricsFeed(metrics: context.metrics)
                let summary = try replay.run(PipelineOptions(
                    pacing: realtime ? .realTime : .asFastAsPossible, control: context.control,
                    maxDuration: .seconds(Int64(job.maxSeconds)), started: context.started,
                    progress: { now in
                        progress.show(now.time)
                        metrics.report(now)
                    }))
                progress.clear()
                return summary
            }
            Self.report(summary, metrics: context.metrics, logger: logger)
            return RecordedOutput(files: summary.files, duration: summary.mediaDuration, stopReason: summary.stopReason ?? .meetingEnded)
        }
        try finish(outcome)
    }

    private static func report(_ summary: Replay.Summary, metrics: RecordingMetrics, logger: Logger) {
        for stream in summary.streams {
            logger.info("stream", metadata: [
                "ssrc": "\(stream.ssrc)", "codec": "\(stream.codec.rawValue)", "participant": "\(stream.participant)",
                "packets": "\(stream.packets)", "lost": "\(stream.jitterBuffer.packetsLost)", "frames": "\(stream.framesDecoded)",
            ])
            metrics.countPacketsLost(Int(stream.jitterBuffer.packetsLost))
        }
        logger.info("replay finished", metadata: [
            "files": "\(summary.files)", "media_seconds": "\(summary.mediaDuration.seconds)", "wall_seconds": "\(summary.wallSeconds)",
            "stop_reason": "\(summary.stopReason?.rawValue ?? "end of input")",
        ])
        print(String(
            format: "replayed %.1f s of media in %.1f s (%.1fx): %@; %d frames, %d participants, %d video frames dropped",
            summary.mediaDuration.seconds, summary.wallSeconds, summary.speed, summary.files.joined(separator: ", "),
            summary.framesWritten, summary.participants, summary.videoFramesDropped))
    }
}

extension CompositeSettings {
    /// The composite settings a job asks for, writing to `outputPath`.
    init(job: JobConfig, outputPath: String) throws {
        let video = job.videoConfig
        let codec = try MediaEncode.VideoCodec(name: video.codec.rawValue)
        let fileExtension = (outputPath as NSString).pathExtension.lowercased()
        guard fileExtension == codec.fileExtension else {
            throw ValidationError("--out \(outputPath): a \(codec.rawValue) recording is a .\(codec.fileExtension) file")
        }
        let layoutKind: LayoutKind
        switch video.layout.type {
        case .grid: layoutKind = .grid
        case .auto: layoutKind = .auto
        case .speaker: layoutKind = .speaker
        case .singleSpeaker: layoutKind = .singleSpeaker
        case .presentation: layoutKind = .presentation
        }
        var output = RecordingOutput(
            path: outputPath,
            video: VideoEncoderSettings(codec: codec, width: video.width, height: video.height, fps: video.fps, bitrateKbps: video.bitrateKbps),
            audioChannels: job.audioConfig.channel == .mono ? 1 : 2)
        if job.audioConfig.exportFile {
            let audioCodec = try MediaEncode.AudioCodec(name: job.audioConfig.codec.rawValue)
            output.audioExport = .init(codec: audioCodec, path: "\((outputPath as NSString).deletingPathExtension).\(audioCodec.audioFileExtension)")
        }
        let canvas = PixelSize(width: video.width, height: video.height)
        // Name labels need their font; a missing one is a setup problem to say, not to hide.
        var labels: NameLabels?
        if video.layout.labels {
            do {
                labels = try NameLabels(height: NameLabels.height(forCanvasHeight: video.height))
            } catch {
                throw ValidationError("video_config.layout.labels: \(error) (install fonts-dejavu-core, or set labels to false)")
            }
        }
        self.init(output: output, layoutKind: layoutKind, layout: LayoutOptions(background: try YUVColor(hex: video.layout.background)),
                  overlays: try video.watermark.map { [try PlacedOverlay(watermark: $0, canvasSize: canvas)] } ?? [],
                  labels: labels)
    }
}

extension PlacedOverlay {
    /// The job's watermark, read and scaled once, in its corner of the canvas.
    init(watermark: WatermarkConfig, canvasSize: PixelSize) throws {
        let picture: RGBAImage
        do {
            picture = try StillImage.decode(url: watermark.url)
        } catch {
            throw ValidationError("video_config.watermark.url: cannot read the picture: \(error)")
        }
        // Shown at the size asked for, or its own, rounded up to even (chroma is half size).
        let size = watermark.size.map { PixelSize(width: ($0.width + 1) & ~1, height: ($0.height + 1) & ~1) }
        let image = OverlayImage(rgba: picture.pixels, width: picture.width, height: picture.height, size: size)
        let corner: Corner = switch watermark.position {
        case .leftTop: .leftTop
        case .rightTop: .rightTop
        case .leftBottom: .leftBottom
        case .rightBottom: .rightBottom
        }
        guard let placed = PlacedOverlay(image, corner: corner, canvasSize: canvasSize) else {
            throw ValidationError("video_config.watermark: a \(image.size.width)x\(image.size.height) watermark does not fit the \(canvasSize.width)x\(canvasSize.height) canvas")
        }
        self = placed
    }
}

extension YUVColor {
    /// `#rrggbb`, as job configs write colours.
    init(hex: String) throws {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else {
            throw ValidationError("video_config.layout.background: \(hex) is not a #rrggbb colour")
        }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressLine {
    var total: MediaTime?
    let enabled = isatty(STDERR_FILENO) != 0

    func show(_ done: MediaTime) {
        guard enabled else { return }
        var line = String(format: "replaying %6.1f s", done.seconds)
        if let total, total > .zero {
            let fraction = min(1, done.seconds / total.seconds)
            let filled = Int(fraction * 30)
            line += String(format: " of %.1f s [%@%@] %3d%%", total.seconds, String(repeating: "#", count: filled),
                           String(repeating: " ", count: 30 - filled), Int(fraction * 100))
        }
        FileHandle.standardError.write(Data("\r\(line)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
