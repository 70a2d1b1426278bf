import Synchronization

/// What the outside world has asked of a running media pipeline: stop (and why) and pause. Set
/// from any thread (the control endpoint, a signal handler, a stop rule); the pipeline reads it
/// once per output tick, so a request takes effect within one frame interval.
public final class RecordingControl: Sendable {
    private struct Requests {
        var stopReason: RecordingStopReason?
        var paused = false
    }

    private let requests = Mutex(Requests())

    public init() {}

    /// Asks the pipeline to stop for `reason`; false when a stop was already asked for (the
    /// first reason is the one reported).
    @discardableResult
    public func requestStop(_ reason: RecordingStopReason) -> Bool {
        requests.withLock { requests in
            guard requests.stopReason == nil else { return false }
            requests.stopReason = reason
            return true
        }
    }

    public var stopReason: RecordingStopReason? { requests.withLock { $0.stopReason } }

    public func setPaused(_ paused: Bool) {
        requests.withLock { $0.paused = paused }
    }

    public var isPaused: Bool { requests.withLock { $0.paused } }
}
