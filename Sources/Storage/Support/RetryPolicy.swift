/// How often and how long one request is retried: exponential backoff with jitter, bounded in
/// attempts and in total time. Retried: no response (network), 5xx, 429, 408 and S3's
/// `RequestTimeout`; any other 4xx fails at once.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    /// No retry starts after this much time has passed since the first attempt.
    public var maxTotal: Duration

    public init(
        maxAttempts: Int = 6, initialDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(20),
        maxTotal: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
    }

    /// The pause before attempt `attempt + 1` (so `attempt` >= 1): the exponential step
    /// `initialDelay * 2^(attempt-1)`, capped at `maxDelay`, of which a random half is
    /// dropped ("equal jitter"), so clients that failed together do not retry together.
    /// `randomFraction` is in 0...1.
    public func delay(afterAttempt attempt: Int, randomFraction: Double) -> Duration {
        var step = initialDelay
        for _ in 1..<max(1, attempt) where step < maxDelay { step *= 2 }
        step = min(step, maxDelay)
        return step / 2 + step / 2 * min(max(randomFraction, 0), 1)
    }

    /// Whether an answer with HTTP `status` (and, from S3, error `code`) is worth retrying.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        status >= 500 || status == 429 || status == 408
            || (status == 400 && code == "RequestTimeout")
    }
}
