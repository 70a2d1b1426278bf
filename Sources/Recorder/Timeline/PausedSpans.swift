import MediaTypes

/// Cuts paused spans out of the recording's time axis: media timed inside a paused span is
/// dropped, and everything after a span moves earlier by its length, so the output has no gap in
/// its timestamps where the recording was paused.
///
///     pipeline clock  0 ---- p1 ~~~~~~~ r1 ---- p2 ~~~ r2 ---->
///     output axis     0 ---- p1 ---- p1+(p2-r1) ---->
public struct PausedSpans: Sendable {
    private var spans: [(start: MediaTime, end: MediaTime)] = []
    private var openSince: MediaTime?

    public init() {}

    public var isPaused: Bool { openSince != nil }

    /// Starts a paused span at `time` on the pipeline clock (ignored while already paused).
    public mutating func pause(at time: MediaTime) {
        if openSince == nil { openSince = time }
    }

    /// Ends the open paused span at `time` (ignored when not paused).
    public mutating func resume(at time: MediaTime) {
        guard let start = openSince else { return }
        openSince = nil
        if time > start { spans.append((start, time)) }
    }

    /// Where `time` on the pipeline clock lands on the output axis; nil inside a paused span.
    public func outputTime(for time: MediaTime) -> MediaTime? {
        if let openSince, time >= openSince { return nil }
        var cut = MediaTime.zero
        for span in spans {
            if time >= span.end {
                cut = cut + (span.end - span.start)
            } else if time >= span.start {
                return nil
            }
        }
        return time - cut
    }
}
