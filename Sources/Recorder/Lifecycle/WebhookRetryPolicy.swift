/// How hard a status webhook is retried: exponential backoff with full jitter (each wait is
/// uniformly random in 0...min(maxBackoff, initialBackoff * 2^(retry-1))), at most `maxAttempts`
/// attempts and `totalTime` per message, so a dead receiver delays the next message (and the
/// end of the process) by a bounded amount.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// From the first attempt of a message to giving up on it.
    public var totalTime: Duration
    /// One HTTP request, connection included.
    public var requestTimeout: Duration

    public init(
        maxAttempts: Int = 8, initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(30), totalTime: Duration = .seconds(120),
        requestTimeout: Duration = .seconds(10)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.totalTime = totalTime
        self.requestTimeout = requestTimeout
    }

    /// The upper bound of the wait before retry number `retry` (1 = the first retry).
    public func backoffCeiling(retry: Int) -> Duration {
        var ceiling = initialBackoff
        for _ in 1..<max(1, retry) where ceiling < maxBackoff {
            ceiling *= 2
        }
        return min(ceiling, maxBackoff)
    }

    /// The wait before retry number `retry`: full jitter below the ceiling.
    public func backoff(retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = backoffCeiling(retry: retry)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }
}
