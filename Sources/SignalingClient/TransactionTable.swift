/// The requests awaiting a reply, by transaction id, each with what it was for and when it
/// times out.
struct TransactionTable<Purpose: Sendable>: Sendable {
    struct Pending: Sendable {
        var purpose: Purpose
        /// The request's name for errors (`join`, `attach`, ...).
        var request: String
        var deadline: ContinuousClock.Instant
        var timeout: Duration
    }

    private let prefix: String
    private var counter: UInt64 = 0
    private var pending: [String: Pending] = [:]

    /// Transaction ids are `prefix-1`, `prefix-2`, ...
    init(prefix: String) {
        self.prefix = prefix
    }

    var isEmpty: Bool { pending.isEmpty }

    mutating func open(
        _ purpose: Purpose, request: String, now: ContinuousClock.Instant, timeout: Duration
    ) -> String {
        counter += 1
        let id = "\(prefix)-\(counter)"
        pending[id] = Pending(purpose: purpose, request: request, deadline: now + timeout, timeout: timeout)
        return id
    }

    func peek(_ id: String) -> Pending? { pending[id] }

    mutating func close(_ id: String) -> Pending? { pending.removeValue(forKey: id) }

    /// Removes and returns every request past its deadline, oldest first.
    mutating func expire(now: ContinuousClock.Instant) -> [(id: String, pending: Pending)] {
        let expired = pending.filter { $0.value.deadline <= now }
            .sorted { $0.value.deadline < $1.value.deadline || ($0.value.deadline == $1.value.deadline && $0.key < $1.key) }
        for (id, _) in expired { pending[id] = nil }
        return expired.map { (id: $0.key, pending: $0.value) }
    }

    /// Removes and returns every pending request (the connection is gone).
    mutating func removeAll() -> [(id: String, pending: Pending)] {
        let all = pending.sorted { $0.key < $1.key }.map { (id: $0.key, pending: $0.value) }
        pending = [:]
        return all
    }
}
