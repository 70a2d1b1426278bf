/// The publishers of a room as the subscriber sees them: who is there, which of their feeds
/// (or, for streams a publisher adds later, which single streams) no subscription request has
/// asked for yet, and whose stream each offered mid carries.
struct VideoRoomRoster: Sendable {
    private var participants: [JanusID: MeetingParticipant] = [:]
    /// Requests not made yet, in arrival order: whole feeds, and single streams (`mid` set)
    /// that a publisher already subscribed to started later.
    private(set) var unsubscribedFeeds: [VideoRoomRequest.Feed] = []
    /// Per publisher, the mids of its streams that a request (made or queued) asks for or an
    /// offer carries.
    private var coveredMids: [JanusID: Set<String>] = [:]
    /// Inactive m-lines in an `updated` offer no longer name their feed; the last offer that
    /// did says whose they were.
    private var midOwners: [String: MeetingParticipant] = [:]

    /// Adds a publisher; nil when it is already known (Janus repeats `publishers` when one
    /// reconfigures). A known publisher's streams that no request covers yet (a screen share
    /// it added, say) are queued one by one.
    mutating func add(_ publisher: VideoRoomData.Publisher) -> MeetingParticipant? {
        guard participants[publisher.id] == nil else {
            // A stream the publisher stopped may start again under its mid: it is asked for anew then.
            for stream in publisher.streams ?? [] where stream.disabled == true {
                if let mid = stream.mid { coveredMids[publisher.id]?.remove(mid) }
            }
            // While the whole feed is still queued, its request will cover every stream.
            let wholeFeedQueued = unsubscribedFeeds.contains { $0.feed == publisher.id && $0.mid == nil }
            for mid in publisher.mediaMids {
                let isNew = coveredMids[publisher.id, default: []].insert(mid).inserted
                if isNew && !wholeFeedQueued { unsubscribedFeeds.append(VideoRoomRequest.Feed(feed: publisher.id, mid: mid)) }
            }
            return nil
        }
        let participant = MeetingParticipant(id: publisher.id.description, displayName: publisher.display)
        participants[publisher.id] = participant
        coveredMids[publisher.id] = Set(publisher.mediaMids)
        unsubscribedFeeds.append(VideoRoomRequest.Feed(feed: publisher.id))
        return participant
    }

    /// Removes a publisher; false when it was not one (an attendee that never published, or
    /// the second of `unpublished` and `leaving`).
    mutating func remove(_ feed: JanusID) -> Bool {
        guard participants.removeValue(forKey: feed) != nil else { return false }
        unsubscribedFeeds.removeAll { $0.feed == feed }
        coveredMids[feed] = nil
        return true
    }

    /// The requests to make now; they count as made from here on.
    mutating func takeUnsubscribedFeeds() -> [VideoRoomRequest.Feed] {
        defer { unsubscribedFeeds = [] }
        return unsubscribedFeeds
    }

    /// Puts back requests a refused request made, for publishers still in the room, first in line.
    mutating func requeue(_ feeds: [VideoRoomRequest.Feed]) {
        let back = feeds.filter { participants[$0.feed] != nil && !unsubscribedFeeds.contains($0) }
        unsubscribedFeeds = back + unsubscribedFeeds
    }

    /// The audio and video m-lines of an offer with their participants; m-lines whose owner is
    /// unknown are left out. The streams an offer carries count as covered.
    mutating func streams(offered: [VideoRoomData.Stream]) -> [SubscribedStream] {
        offered.compactMap { stream in
            guard stream.type == "audio" || stream.type == "video", let mid = stream.mid else { return nil }
            let participant: MeetingParticipant
            if let feed = stream.feedID {
                participant = MeetingParticipant(
                    id: feed.description, displayName: stream.feedDisplay ?? participants[feed]?.displayName)
                midOwners[mid] = participant
                if let feedMid = stream.feedMid, participants[feed] != nil { coveredMids[feed, default: []].insert(feedMid) }
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
