import Benchmark
import Compositor
import MediaTypes

/// How fast the compositor draws a grid of 640x360 camera sources into a canvas, against
/// libyuv and swscale drawing the same tiles from the same frames into the same canvas size;
/// what skipping unchanged tiles saves; and what a tick allocates. Rates are output frames
/// per second of one core's CPU time (thread CPU time around the drawing loop).
let benchmarks: @Sendable () -> Void = {
    let fullRedrawScenes = [4, 9, 16, 25].flatMap { participants in
        [720, 1080].map { height in
            GridScene(participants: participants, canvasSize: PixelSize(width: height * 16 / 9, height: height))
        }
    } + [GridScene(participants: 9, canvasSize: PixelSize(width: 1920, height: 1080), gap: 14)]
    for scene in fullRedrawScenes {
        registerFullRedraw(scene)
    }
    let nineInto720p = GridScene(participants: 9, canvasSize: PixelSize(width: 1280, height: 720))
    registerChangeAware(nineInto720p)
    for scene in [nineInto720p, fullRedrawScenes[fullRedrawScenes.count - 1]] {
        registerAllocations(scene)
    }
}

/// Ticks per contender per iteration: one second of 30 fps canvas.
let ticksPerIteration = 30

func customMetric(_ name: String, polarity: BenchmarkMetric.Polarity = .prefersLarger) -> BenchmarkMetric {
    .custom(name, polarity: polarity, useScalingFactor: false)
}

func configuration(_ metrics: [BenchmarkMetric], maxIterations: Int = 15) -> Benchmark.Configuration {
    // Units fixed to plain counts so frames/s and ratios print as they are, not in thousands.
    .init(metrics: metrics, units: Dictionary(uniqueKeysWithValues: metrics.map { ($0, .count) }),
          warmupIterations: 1, maxDuration: .seconds(15), maxIterations: maxIterations)
}

/// Every tile gets a new frame every tick; the three contenders take turns on the same ticks.
func registerFullRedraw(_ scene: GridScene) {
    let tessera = customMetric("Tessera frames/s (1 core)")
    let libyuv = customMetric("libyuv frames/s (1 core)")
    let swscale = customMetric("swscale frames/s (1 core)")
    let overLibyuv = customMetric("Tessera/libyuv (x100)")
    let overSwscale = customMetric("Tessera/swscale (x100)")
    // The check's tolerance applies to Tessera; the baselines' distances show what it tells apart.
    let deviations = ["Tessera", "libyuv", "swscale"].map { customMetric("max |\($0) - scalar ref|", polarity: .prefersSmaller) }

    let run = CompositorRun(scene, .everyTick)
    let libyuvCanvas = VideoFrame(width: scene.canvasSize.width, height: scene.canvasSize.height)
    let swscaleCanvas = VideoFrame(width: scene.canvasSize.width, height: scene.canvasSize.height)
    let swscaleScaler = SwscaleTileScaler()
    var measuredDeviations = [0, 0, 0]
    var nextTick = 1

    Benchmark(
        "Full redraw \(scene)",
        configuration: configuration([tessera, libyuv, swscale, overLibyuv, overSwscale] + deviations),
        closure: { benchmark in
            let ticks = nextTick..<(nextTick + ticksPerIteration)
            nextTick = ticks.upperBound
            let tesseraRate = framesPerCPUSecond(ticks) { run.compose(tick: $0) }
            let libyuvRate = framesPerCPUSecond(ticks) { tick in
                scene.forEachTile(tick: tick) { LibYUVTileScaler.scale($0, crop: $1, into: libyuvCanvas, at: $2) }
            }
            let swscaleRate = framesPerCPUSecond(ticks) { tick in
                scene.forEachTile(tick: tick) { swscaleScaler.scale($0, crop: $1, into: swscaleCanvas, at: $2) }
            }
            benchmark.measurement(tessera, Int(tesseraRate.rounded()))
            benchmark.measurement(libyuv, Int(libyuvRate.rounded()))
            benchmark.measurement(swscale, Int(swscaleRate.rounded()))
            benchmark.measurement(overLibyuv, percent(tesseraRate, of: libyuvRate))
            benchmark.measurement(overSwscale, percent(tesseraRate, of: swscaleRate))
            for (metric, value) in zip(deviations, measuredDeviations) {
                benchmark.measurement(metric, value)
            }
        },
        setup: {
            // Not timed: the first tick lays out and paints the background; every contender's
            // output is compared with the scalar reference kernels, Tessera's within tolerance.
            scene.forEachTile(tick: 0) { LibYUVTileScaler.scale($0, crop: $1, into: libyuvCanvas, at: $2) }
            scene.forEachTile(tick: 0) { swscaleScaler.scale($0, crop: $1, into: swscaleCanvas, at: $2) }
            measuredDeviations = [
                try ReferenceCheck.verify(scene, canvas: run.compose(tick: 0), tick: 0),
                ReferenceCheck.maxDeviation(scene, canvas: libyuvCanvas, tick: 0),
                ReferenceCheck.maxDeviation(scene, canvas: swscaleCanvas, tick: 0),
            ]
        }
    )
}

/// The compositor alone, on the same ticks, with sources that change every tick (full
/// redraw), every other tick (15 fps sources into a 30 fps canvas), or only for one of the
/// participants (a speaker who moves while the others sit still). Costs are per tick,
/// relative to the full redraw.
func registerChangeAware(_ scene: GridScene) {
    let fullRate = customMetric("full redraw frames/s (1 core)")
    let halfRate = customMetric("15 fps sources frames/s (1 core)")
    let speakerRate = customMetric("moving speaker frames/s (1 core)")
    let halfCost = customMetric("15 fps sources cost (% of full)", polarity: .prefersSmaller)
    let speakerCost = customMetric("moving speaker cost (% of full)", polarity: .prefersSmaller)

    let runs = [SourceSchedule.everyTick, .everyOtherTick, .onlyFirstParticipant].map { CompositorRun(scene, $0) }
    // Whole schedule periods, so the 15 fps case skips exactly half of its ticks.
    let ticksPerRun = SourceSchedule.period
    var nextTick = 1

    Benchmark(
        "Change-aware \(scene)",
        configuration: configuration([fullRate, halfRate, speakerRate, halfCost, speakerCost]),
        closure: { benchmark in
            let ticks = nextTick..<(nextTick + ticksPerRun)
            nextTick = ticks.upperBound
            let rates = runs.map { run in framesPerCPUSecond(ticks) { run.compose(tick: $0) } }
            benchmark.measurement(fullRate, Int(rates[0].rounded()))
            benchmark.measurement(halfRate, Int(rates[1].rounded()))
            benchmark.measurement(speakerRate, Int(rates[2].rounded()))
            // Cost per tick is the inverse of the rate.
            benchmark.measurement(halfCost, percent(rates[0], of: rates[1]))
            benchmark.measurement(speakerCost, percent(rates[0], of: rates[2]))
        },
        setup: {
            for run in runs { run.compose(tick: 0) }
        }
    )
}

/// Heap allocations of one compositor tick in steady state (same roster, new frames).
func registerAllocations(_ scene: GridScene) {
    let run = CompositorRun(scene, .everyTick)
    var nextTick = 1
    Benchmark(
        "Allocations per tick, full redraw \(scene)",
        configuration: configuration([.mallocCountTotal], maxIterations: 2 * SourceSchedule.period),
        closure: { _ in
            run.compose(tick: nextTick)
            nextTick += 1
        },
        setup: {
            run.compose(tick: 0)
        }
    )
}
