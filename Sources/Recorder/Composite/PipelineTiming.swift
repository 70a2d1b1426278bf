import Foundation

/// CPU time the recording thread spent in each stage of the pipeline, to see where a
/// recording's cost goes. Thread CPU time, not wall time: the clock stops while the thread
/// waits or is preempted. Work on other threads (the encoder's own threads) is not included.
///
/// Stages nest (mixing audio hands each block to the writer): time is charged to the innermost
/// stage entered, so no time counts twice.
public struct PipelineTiming: Sendable {
    public enum Stage: Sendable { case decode, composite, write }

    /// Decoding received video and audio (with handing each decoded frame on, which only queues it).
    public internal(set) var decodeSeconds: Double = 0
    /// Drawing the canvas and mixing the audio.
    public internal(set) var compositeSeconds: Double = 0
    /// Encoding and muxing: the writer's calls on the recording thread.
    public internal(set) var writeSeconds: Double = 0

    private var current: Stage?
    private var since: Double = 0

    public init() {}

    /// Starts charging time to `stage`; returns the stage to go back to with `leave(to:)`.
    mutating func enter(_ stage: Stage) -> Stage? {
        let previous = current
        charge()
        current = stage
        return previous
    }

    /// Stops charging the stage `enter` started, going back to `previous`.
    mutating func leave(to previous: Stage?) {
        charge()
        current = previous
    }

    private mutating func charge() {
        let now = PipelineTiming.threadCPUSeconds()
        switch current {
        case .decode: decodeSeconds += now - since
        case .composite: compositeSeconds += now - since
        case .write: writeSeconds += now - since
        case nil: break
        }
        since = now
    }

    /// CPU time the calling thread has used, in seconds.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
