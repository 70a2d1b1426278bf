import Benchmark
import Foundation
import MediaEncode
import MediaTypes
import Recorder
#if canImport(MallocInterposerSwift)
import MallocInterposerSwift
#endif

/// What one real-time recording costs end to end: the 9-participant meeting (640x360 30 fps,
/// VP8 and H.264 with Opus) replayed by `Replay` into a 30 fps composite, as CPU time per second
/// of media (the fraction of one core times 1000), split by stage; peak RSS; heap allocations
/// per output frame in steady state. One iteration replays the whole meeting (10 s of media).
let benchmarks: @Sendable () -> Void = {
    let cases: [(String, VideoEncoderSettings)] = [720, 1080].flatMap { height -> [(String, VideoEncoderSettings)] in
        let width = height * 16 / 9
        return [
            // Tessera's default: superfast tuned for composites, one encoder thread.
            ("H264 default \(width)x\(height)", VideoEncoderSettings(codec: .h264, width: width, height: height)),
            // x264's own superfast, frame threads as x264 picks them: what the tuning is measured against.
            ("H264 x264 superfast untuned \(width)x\(height)",
             VideoEncoderSettings(codec: .h264, width: width, height: height, preset: "superfast", x264Options: "", threads: 0)),
            ("VP8 cpu-used 8 \(width)x\(height)", VideoEncoderSettings(codec: .vp8, width: width, height: height, vp8CpuUsed: 8)),
        ]
    }
    for (name, video) in cases {
        registerPipeline(name, video: video)
    }
    registerQuality()
}

func coreMetric(_ name: String) -> BenchmarkMetric {
    .custom("\(name) (core x1000)", polarity: .prefersSmaller, useScalingFactor: false)
}

func countMetric(_ name: String, polarity: BenchmarkMetric.Polarity = .prefersSmaller) -> BenchmarkMetric {
    .custom(name, polarity: polarity, useScalingFactor: false)
}

func plainConfiguration(_ metrics: [BenchmarkMetric], warmup: Int, iterations: Int) -> Benchmark.Configuration {
    // Units fixed to plain counts so the figures print as they are, not in thousands.
    .init(metrics: metrics, units: Dictionary(uniqueKeysWithValues: metrics.map { ($0, .count) }),
          warmupIterations: warmup, maxDuration: .seconds(120), maxIterations: iterations)
}

func registerPipeline(_ name: String, video: VideoEncoderSettings) {
    let total = coreMetric("end to end")
    let decode = coreMetric("decode")
    let composite = coreMetric("composite + mix")
    let encode = coreMetric("encode + mux")
    let ingest = coreMetric("read + depacketize")
    let rss = countMetric("peak RSS (MB)")
    let allocations = countMetric("allocations per frame, steady")
    let speed = countMetric("replay speed (x realtime)", polarity: .prefersLarger)
    // A check on the input: lost or undecodable source frames would make the case cheaper.
    let dropped = countMetric("source video frames dropped")
    // Malloc (total) also makes the framework count allocations, which the steady-state figure reads.
    let metrics = [total, decode, composite, encode, ingest, rss, allocations, .mallocCountTotal, speed, dropped]
    let folder = NSTemporaryDirectory() + "tessera-pipeline-\(UUID().uuidString)"

    Benchmark(
        "Pipeline 9 x 640x360 into \(name)",
        configuration: plainConfiguration(metrics, warmup: 1, iterations: 3),
        closure: { benchmark in
            let output = RecordingOutput(path: "\(folder)/out.\(video.codec.fileExtension)", video: video)
            var steady = SteadyStateAllocations()
            let processStart = processCPUSeconds()
            let threadStart = PipelineTiming.threadCPUSeconds()
            let summary = try BenchmarkMeeting.replay(into: output) { steady.observe(second: $0) }
            let processSeconds = processCPUSeconds() - processStart
            let threadSeconds = PipelineTiming.threadCPUSeconds() - threadStart

            // The replay thread's time is split by stage; the encoder's own threads are the
            // only other threads working, so their time (process minus this thread) is encoding.
            let timing = summary.timing
            let otherThreads = processSeconds - threadSeconds
            let media = summary.mediaDuration.seconds
            func share(_ seconds: Double) -> Int { Int((seconds / media * 1000).rounded()) }
            benchmark.measurement(total, share(processSeconds))
            benchmark.measurement(decode, share(timing.decodeSeconds))
            benchmark.measurement(composite, share(timing.compositeSeconds))
            benchmark.measurement(encode, share(timing.writeSeconds + otherThreads))
            benchmark.measurement(ingest, share(threadSeconds - timing.decodeSeconds - timing.compositeSeconds - timing.writeSeconds))
            benchmark.measurement(rss, peakResidentMegabytes())
            if let perFrame = steady.perFrame(fps: video.fps) { benchmark.measurement(allocations, perFrame) }
            benchmark.measurement(speed, Int(summary.speed.rounded()))
            benchmark.measurement(dropped, summary.videoFramesDropped)
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

/// Heap allocations per output frame between the end of second 2 and the last whole second of
/// the replay (from the benchmark's malloc interposer), leaving out opening the encoders and
/// decoders, the first keyframes and finishing the file.
struct SteadyStateAllocations {
    private var first: (second: Double, mallocs: Int)?
    private var last: (second: Double, mallocs: Int)?

    mutating func observe(second: MediaTime) {
        #if canImport(MallocInterposerSwift)
        let mallocs = MallocInterposerSwift.getStatistics().mallocCount
        if second.seconds >= 2, first == nil { first = (second.seconds, mallocs) }
        last = (second.seconds, mallocs)
        #endif
    }

    func perFrame(fps: Int) -> Int? {
        guard let first, let last, last.second > first.second else { return nil }
        return Int((Double(last.mallocs - first.mallocs) / ((last.second - first.second) * Double(fps))).rounded())
    }
}

/// Process CPU time (all threads), in seconds.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The process's peak resident set so far (Linux reports ru_maxrss in kilobytes).
func peakResidentMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss / 1024)
}
