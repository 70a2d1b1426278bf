import Compositor
import Foundation
import MediaTypes

/// Tessera's compositor fed one schedule of a scene's sources, tick by tick. It keeps its
/// canvas and its skip state across ticks, as in a recording.
final class CompositorRun {
    let compositor: CanvasCompositor
    private let inputs: [[CompositorInput]]

    init(_ scene: GridScene, _ schedule: SourceSchedule) {
        compositor = CanvasCompositor(canvasSize: scene.canvasSize, options: scene.options)
        inputs = scene.compositorInputs(schedule)
    }

    @discardableResult
    func compose(tick: Int) -> VideoFrame {
        compositor.compose(inputs[tick % inputs.count], at: MediaTime(value: Int64(tick), timescale: 30))
    }
}

/// Output frames per second of this thread's CPU time while `draw` runs ticks `ticks`. CPU
/// time, not wall time: the machine is shared, and every contender runs on one core.
func framesPerCPUSecond(_ ticks: Range<Int>, _ draw: (Int) -> Void) -> Double {
    let start = threadCPUSeconds()
    for tick in ticks { draw(tick) }
    return Double(ticks.count) / max(threadCPUSeconds() - start, 1e-9)
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// `part / whole` in percent, rounded, for ratio metrics (the table holds integers).
func percent(_ part: Double, of whole: Double) -> Int {
    Int((100 * part / whole).rounded())
}
