import Benchmark
import Foundation
import MediaEncode
import Recorder

/// Quality of the 1280x720 H.264 composite against x264 superfast at the same bitrate, on the
/// same composited frames. The meeting is replayed once losslessly (x264 qp 0) for the
/// reference frames (the replay is deterministic: every replay draws the same frames), once
/// per preset with Tessera's defaults (constant quality, crf 23); FFmpeg encodes the reference
/// with libx264 superfast at the bitrate Tessera's file has (average bitrate, same keyframe
/// interval), and each encoding's PSNR (all planes, average over the frames) is measured
/// against the reference. Tessera's constant-quality files spend bits where x264's psychovisual
/// model wants them, which PSNR does not reward: the comparison is strict for Tessera.
func registerQuality() {
    let presets = ["veryfast", "superfast"]
    let metrics = presets.flatMap { preset in
        [countMetric("Tessera \(preset) kbit/s", polarity: .prefersSmaller),
         countMetric("Tessera \(preset) PSNR (dB x100)", polarity: .prefersLarger),
         countMetric("x264 superfast at Tessera \(preset)'s kbit/s PSNR (dB x100)", polarity: .prefersLarger)]
    }
    let folder = NSTemporaryDirectory() + "tessera-quality-\(UUID().uuidString)"

    Benchmark(
        "Quality 9 x 640x360 into H264 1280x720 vs x264 superfast",
        configuration: plainConfiguration(metrics, warmup: 0, iterations: 1),
        closure: { benchmark in
            let reference = "\(folder)/reference.mp4"
            _ = try BenchmarkMeeting.replay(into: RecordingOutput(
                path: reference, video: VideoEncoderSettings(width: 1280, height: 720, fps: 30, crf: 0, preset: "ultrafast")))
            for (index, preset) in presets.enumerated() {
                let video = VideoEncoderSettings(width: 1280, height: 720, fps: 30, preset: preset)
                let ours = "\(folder)/tessera-\(preset).mp4"
                _ = try BenchmarkMeeting.replay(into: RecordingOutput(path: ours, video: video))
                let kbps = try videoBitrateKbps(ours)
                let x264 = "\(folder)/x264-superfast-\(preset).mp4"
                _ = try Tool.output("ffmpeg", [
                    "-nostdin", "-hide_banner", "-y", "-i", reference, "-an", "-c:v", "libx264", "-preset", "superfast",
                    "-b:v", "\(kbps)k", "-g", String(video.fps * video.keyframeIntervalSeconds), "-pix_fmt", "yuv420p", x264,
                ])
                let oursPSNR = try psnr(ours, against: reference)
                let x264PSNR = try psnr(x264, against: reference)
                // No difference row: the histograms behind the table hold no negative values.
                let values = [kbps, Int((oursPSNR * 100).rounded()), Int((x264PSNR * 100).rounded())]
                for (metric, value) in zip(metrics[(3 * index)...], values) {
                    benchmark.measurement(metric, value)
                }
            }
        },
        setup: {
            try BenchmarkMeeting.ensure()
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        },
        teardown: {
            try? FileManager.default.removeItem(atPath: folder)
        }
    )
}

/// The video stream's average bitrate as the container states it, in kbit/s.
func videoBitrateKbps(_ path: String) throws -> Int {
    let text = try Tool.output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=bit_rate", "-of", "csv=p=0", path])
    guard let bitsPerSecond = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw BenchmarkSetupError("ffprobe printed no video bitrate for \(path): \(text)")
    }
    return (bitsPerSecond + 500) / 1000
}

/// Average PSNR over all planes of `path`'s frames against `reference`'s, in dB.
func psnr(_ path: String, against reference: String) throws -> Double {
    let text = try Tool.output("ffmpeg", ["-nostdin", "-hide_banner", "-i", path, "-i", reference, "-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"])
    guard let line = text.split(separator: "\n").last(where: { $0.contains("PSNR") && $0.contains("average:") }),
          let field = line.split(separator: " ").first(where: { $0.hasPrefix("average:") }),
          let value = Double(field.dropFirst("average:".count)) else {
        throw BenchmarkSetupError("ffmpeg printed no PSNR for \(path) against \(reference): \(text.suffix(500))")
    }
    return value
}
