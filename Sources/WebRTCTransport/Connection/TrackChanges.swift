/// How a renegotiation changed the tracks a connection receives.
public struct TrackChanges: Sendable, Equatable {
    /// Tracks of sections that became receivable: new mids, and mids whose section was
    /// inactive or rejected before (Janus reuses such sections for new publishers).
    public var added: [ReceivedTrack]
    /// Tracks whose sections became inactive or rejected; no frame of theirs follows.
    public var removed: [ReceivedTrack]

    public init(added: [ReceivedTrack] = [], removed: [ReceivedTrack] = []) {
        self.added = added
        self.removed = removed
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }
}
