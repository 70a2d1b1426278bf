import MediaTypes

/// The offset from a sender's clock to ours (plus the smallest network delay), estimated as the
/// least `arrival - sent` seen in a sliding window. The minimum ignores packets that queued or
/// were retransmitted; forgetting old windows follows clock drift instead of accumulating it.
///
/// The offset in use moves only when the estimate strays more than `tolerance` from it: every
/// move shifts the track's media on the recording's axis, which is a click in continuous audio,
/// so small wanderings of the estimate are ignored and drift is corrected in rare steps.
struct ArrivalOffset: Sendable {
    /// Length of one bucket; the estimate is the minimum over the current and previous bucket.
    let bucketLength: MediaTime
    let tolerance: MediaTime
    private var bucketStart: MediaTime?
    private var currentMinimum: MediaTime?
    private var previousMinimum: MediaTime?
    /// The offset mapping media now.
    private(set) var applied: MediaTime?

    init(bucketLength: MediaTime = .seconds(5), tolerance: MediaTime = .milliseconds(4)) {
        self.bucketLength = bucketLength
        self.tolerance = tolerance
    }

    var estimate: MediaTime? { applied }

    mutating func observe(sent: MediaTime, arrival: MediaTime) {
        let offset = arrival - sent
        if let start = bucketStart, arrival - start >= bucketLength {
            previousMinimum = currentMinimum
            currentMinimum = nil
            bucketStart = arrival
        } else if bucketStart == nil {
            bucketStart = arrival
        }
        currentMinimum = currentMinimum.map { min($0, offset) } ?? offset
        let windowMinimum = [currentMinimum, previousMinimum].compactMap { $0 }.min()!
        if let applied, windowMinimum > applied - tolerance, windowMinimum < applied + tolerance { return }
        applied = windowMinimum
    }
}
