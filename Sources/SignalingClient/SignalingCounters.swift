/// What a signaling session ignored or dropped, for logs and tests.
public struct SignalingCounters: Sendable, Equatable {
    /// Text that was not a Janus message (bad JSON, a field of the wrong type).
    public var malformedMessages = 0
    /// Well-formed messages the session had no use for: an unknown `janus` kind, an
    /// unknown sender, a reply to no pending transaction.
    public var unexpectedMessages = 0
    /// Trickled candidates whose line did not parse.
    public var malformedCandidates = 0
    public var timedOutRequests = 0

    public init() {}
}
