import MediaTypes

/// The least `arrival - sent` seen in a sliding window: the offset from a sender's clock to
/// ours plus the smallest network delay. Using the minimum ignores packets that queued or were
/// retransmitted; forgetting old windows follows clock drift instead of accumulating it.
struct ArrivalOffset: Sendable {
    /// Length of one bucket; the estimate is the minimum over the current and previous bucket.
    let bucketLength: MediaTime
    private var bucketStart: MediaTime?
    private var currentMinimum: MediaTime?
    private var previousMinimum: MediaTime?

    init(bucketLength: MediaTime = .seconds(5)) {
        self.bucketLength = bucketLength
    }

    var estimate: MediaTime? {
        switch (currentMinimum, previousMinimum) {
        case let (current?, previous?): return min(current, previous)
        case let (current, previous): return current ?? previous
        }
    }

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
    }
}
