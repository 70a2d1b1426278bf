import Benchmark
import Foundation
import MediaEncode
import Recorder

/// Quality of the 1280x720 H.264 composite against x264 superfast at the same bitrate, on the
/// same composited frames. The meeting is replayed once losslessly (x264 qp 0) for the
/// reference frames (the replay is deterministic: every replay draws the same frames), once
/// with Tessera's default encoder settings (constant quality); FFmpeg encodes the reference
/// with libx264 superfast, as x264 defines it, at the bitrate Tessera's file has (average
/// bitrate, same keyframe interval), and each encoding's PSNR and SSIM (all planes, average
/// over the frames) are measured against the reference.
func registerQuality() {
    let metrics = [
        countMetric("Tessera default kbit/s", polarity: .prefersSmaller),
        countMetric("Tessera default PSNR (dB x100)", polarity: .prefersLarger),
        countMetric("x264 superfast at the same kbit/s PSNR (dB x100)", polarity: .prefersLarger),
        countMetric("Tessera default SSIM (x10000)", polarity: .prefersLarger),
        countMetric("x264 superfast at the same kbit/s SSIM (x10000)", polarity: .prefersLarger),
    ]
    let folder = NSTemporaryDirectory() + "tessera-quality-\(UUID().uuidString)"

    Benchmark(
        "Quality 9 x 640x360 into H264 1280x720 vs x264 superfast",
        configuration: plainConfiguration(metrics, warmup: 0, iterations: 1),
        closure: { benchmark in
            let reference = "\(folder)/reference.mp4"
            _ = try BenchmarkMeeting.replay(into: RecordingOutput(
                path: reference, video: VideoEncoderSettings(width: 1280, height: 720, fps: 30, crf: 0, preset: "ultrafast", x264Options: "")))
            let video = VideoEncoderSettings(width: 1280, height: 720, fps: 30)
            let ours = "\(folder)/tessera.mp4"
            _ = try BenchmarkMeeting.replay(into: RecordingOutput(path: ours, video: video))
            let kbps = try videoBitrateKbps(ours)
            let x264 = "\(folder)/x264-superfast.mp4"
            _ = try Tool.output("ffmpeg", [
                "-nostdin", "-hide_banner", "-y", "-i", reference, "-an", "-c:v", "libx264", "-preset", "superfast",
                "-b:v", "\(kbps)k", "-g", String(video.fps * video.keyframeIntervalSeconds), "-pix_fmt", "yuv420p", x264,
            ])
            let (oursPSNR, oursSSIM) = try similarity(ours, to: reference)
            let (x264PSNR, x264SSIM) = try similarity(x264, to: reference)
            // No difference row: the histograms behind the table hold no negative values.
            let values = [kbps, Int((oursPSNR * 100).rounded()), Int((x264PSNR * 100).rounded()),
                          Int((oursSSIM * 10000).rounded()), Int((x264SSIM * 10000).rounded())]
            for (metric, value) in zip(metrics, values) {
                benchmark.measurement(metric, value)
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

/// Average PSNR (dB) and SSIM over all planes of `path`'s frames against `reference`'s.
func similarity(_ path: String, to reference: String) throws -> (psnr: Double, ssim: Double) {
    let text = try Tool.output("ffmpeg", ["-nostdin", "-hide_banner", "-i", path, "-i", reference,
                                          "-lavfi", "[0:v]split[a][b];[1:v]split[c][d];[a][c]psnr;[b][d]ssim", "-f", "null", "-"])
    func value(_ filter: String, _ key: String) throws -> Double {
        guard let line = text.split(separator: "\n").last(where: { $0.contains(filter) && $0.contains(key) }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix(key) }),
              let value = Double(field.dropFirst(key.count)) else {
            throw BenchmarkSetupError("ffmpeg printed no \(filter) for \(path) against \(reference): \(text.suffix(500))")
        }
        return value
    }
    return (try value("PSNR", "average:"), try value("SSIM", "All:"))
}
