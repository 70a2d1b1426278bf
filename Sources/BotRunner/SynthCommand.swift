import ArgumentParser
import FFmpegBridge
import Foundation
import Logging
import MediaEncode
import MediaTypes
import SyntheticMedia

/// Encodes a synthetic meeting (a moving picture and a tone) through the real encode stage:
/// the quickest way to see what the output side produces on a machine.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Encode a synthetic moving picture and tone into a recording file."
    )

    @Option(help: "Output file (.mp4 for H264, .webm for VP8).")
    var out: String = "out/synthetic.mp4"

    @Option(help: "Media seconds to render.")
    var seconds: Int = 10

    @Option(help: "Video codec: H264 or VP8.")
    var codec: String = "H264"

    @Option(help: "Canvas width.") var width: Int = 1280
    @Option(help: "Canvas height.") var height: Int = 720
    @Option(help: "Frames per second.") var fps: Int = 30
    @Option(help: "Video bitrate in kbit/s (default: constant quality for H264).") var bitrateKbps: Int?
    @Option(help: "x264 preset (Tessera's composite tuning applies on top).") var preset: String = VideoEncoderSettings().preset
    @Option(help: "Also write the audio alone as AAC (.m4a) or MP3 (.mp3).") var audioExport: String?
    @Flag(help: "Pace frames at real time, as a live recording does.") var realtime = false
    @Flag(help: "Print `progress media_seconds=N` on stdout after each second of media.") var progress = false

    func run() throws {
        var logger = Logger(label: "tessera")
        logger.logLevel = .info
        FFmpegLog.route(to: logger)

        let videoCodec = try VideoCodec(name: codec)
        let video = VideoEncoderSettings(codec: videoCodec, width: width, height: height, fps: fps, bitrateKbps: bitrateKbps, preset: preset)
        var output = RecordingOutput(path: out, video: video)
        if let audioExport {
            let audioCodec = try AudioCodec(name: audioExport)
            let base = (out as NSString).deletingPathExtension
            output.audioExport = .init(codec: audioCodec, path: "\(base).\(audioCodec.audioFileExtension)")
        }
        guard seconds > 0 else {
            throw ValidationError("--seconds must be positive")
        }

        let started = ContinuousClock.now
        let writer = try RecordingWriter(output: output)
        let pool = VideoFramePool(width: width, height: height, capacity: 2)
        let picture = SyntheticPicture(participant: 0)
        let tone = SyntheticTone(participant: 1)
        let samplesPerFrame = AudioBlock.sampleRate / fps
        for index in 0..<(seconds * fps) {
            let time = MediaTime(value: Int64(index), timescale: Int64(fps))
            if realtime {
                let due = started.advanced(by: .nanoseconds(time.rescaled(to: 1_000_000_000)))
                if due > .now { Thread.sleep(forTimeInterval: (due - .now).seconds) }
            }
            let frame = pool.makeFrame(timestamp: time)
            picture.render(frameIndex: index, fps: fps, into: frame)
            try writer.write(video: frame)
            try writer.write(audio: tone.block(start: Int64(index * samplesPerFrame), count: samplesPerFrame, channels: 2))
            if progress, (index + 1) % fps == 0 {
                FileHandle.standardOutput.write(Data("progress media_seconds=\((index + 1) / fps)\n".utf8))
            }
        }
        let paths = try writer.finish()
        let wall = started.duration(to: .now).seconds
        print("wrote \(paths.joined(separator: ", ")): \(seconds) s of media in \(String(format: "%.1f", wall)) s")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
