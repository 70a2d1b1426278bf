import Benchmark
import Foundation
import MediaEncode
import MediaTypes
import SyntheticMedia

/// What encoding the composite costs: CPU time per second of 30 fps media, i.e. the fraction of
/// one core a real-time recording spends in the video encoder (all encoder threads counted).
/// The content is the synthetic camera-like picture (moving, textured), pre-rendered so only
/// encoding and muxing are measured.
let benchmarks: @Sendable () -> Void = {
    let fps = 30
    let coreShare = BenchmarkMetric.custom("CPU ms per media s (= core x1000)", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, .wallClock, coreShare],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(12),
        maxIterations: 8
    )

    let cases: [(String, VideoEncoderSettings)] = [720, 1080].flatMap { height -> [(String, VideoEncoderSettings)] in
        let width = height * 16 / 9
        return [("H264 default \(width)x\(height)", VideoEncoderSettings(codec: .h264, width: width, height: height, fps: fps))]
            + ["ultrafast", "superfast", "veryfast"].map { preset in
                // The preset as x264 defines it, with x264's own threading.
                ("H264 \(preset) \(width)x\(height)",
                 VideoEncoderSettings(codec: .h264, width: width, height: height, fps: fps, preset: preset, x264Options: "", threads: 0))
            } + [("VP8 cpu-used 8 \(width)x\(height)", VideoEncoderSettings(codec: .vp8, width: width, height: height, fps: fps, vp8CpuUsed: 8))]
    }

    for (name, settings) in cases {
        Benchmark(name) { benchmark in
            // Two seconds of distinct frames, cycled: the encoder sees continuous motion.
            let frames = (0..<(2 * fps)).map { index -> VideoFrame in
                let frame = VideoFrame(width: settings.width, height: settings.height)
                SyntheticPicture(participant: 0).render(frameIndex: index, fps: fps, into: frame)
                return frame
            }
            let folder = NSTemporaryDirectory() + "tessera-bench-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let writer = try RecordingWriter(output: RecordingOutput(path: "\(folder)/bench.\(settings.codec.fileExtension)", video: settings, faststart: false))
            var index = 0
            for _ in benchmark.scaledIterations {
                // One iteration = one second of media.
                let cpuBefore = cpuTime()
                for _ in 0..<fps {
                    let frame = frames[index % frames.count]
                    frame.timestamp = MediaTime(value: Int64(index), timescale: Int64(fps))
                    try writer.write(video: frame)
                    index += 1
                }
                benchmark.measurement(coreShare, Int((cpuTime() - cpuBefore) * 1000))
            }
            try writer.finish()
        }
    }
}

/// Process CPU time (all threads), in seconds.
func cpuTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
