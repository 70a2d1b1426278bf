/// The publishers of a room as the subscriber sees them: who is there, whose feeds no
/// subscription request has asked for yet, and whose stream each offered mid carries.
struct VideoRoomRoster: Sendable {
    private var participants: [JanusID: MeetingParticipant] = [:]
    /// In arrival order.
    private(set) var unsubscribedFeeds: [JanusID] = []
    /// Inactive m-lines in an `updated` offer no longer name their feed; the last offer that
    /// did says whose they were.
    private var midOwners: [String: MeetingParticipant] = [:]

    /// Adds a publisher; nil when it is already known (Janus repeats `publishers` when one
    /// reconfigures).
    mutating func add(_ publisher: VideoRoomData.Publisher) -> MeetingParticipant? {
        guard participants[publisher.id] == nil else { return nil }
        let participant = MeetingParticipant(id: publisher.id.description, displayName: publisher.display)
        participants[publisher.id] = participant
        unsubscribedFeeds.append(publisher.id)
        return participant
    }

    /// Removes a publisher; false when it was not one (an attendee that never published, or
    /// the second of `unpublished` and `leaving`).
    mutating func remove(_ feed: JanusID) -> Bool {
        guard participants.removeValue(forKey: feed) != nil else { return false }
        unsubscribedFeeds.removeAll { $0 == feed }
        return true
    }

    /// The feeds to ask for now; they count as asked for from here on.
    mutating func takeUnsubscribedFeeds() -> [JanusID] {
        defer { unsubscribedFeeds = [] }
        return unsubscribedFeeds
    }

    /// Puts back feeds a refused request asked for, those still in the room, first in line.
    mutating func requeue(_ feeds: [JanusID]) {
        let back = feeds.filter { participants[$0] != nil && !unsubscribedFeeds.contains($0) }
        unsubscribedFeeds = back + unsubscribedFeeds
    }

    /// The audio and video m-lines of an offer with their participants; m-lines whose owner is
    /// unknown are left out.
    mutating func streams(offered: [VideoRoomData.Stream]) -> [SubscribedStream] {
        offered.compactMap { stream in
            guard stream.type == "audio" || stream.type == "video", let mid = stream.mid else { return nil }
            let participant: MeetingParticipant
            if let feed = stream.feedID {
                participant = MeetingParticipant(
                    id: feed.description, displayName: stream.feedDisplay ?? participants[feed]?.displayName)
                midOwners[mid] = participant
            } else if let owner = midOwners[mid] {
                participant = owner
            } else {
                return nil
            }
            return SubscribedStream(
                mid: mid, participant: participant, kind: stream.type, codec: stream.codec, active: stream.active ?? true)
        }
    }
}
