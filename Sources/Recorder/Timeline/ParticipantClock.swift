import MediaTypes

/// Maps the media timestamps of one participant's tracks onto our local clock (the clock that
/// stamps packet arrivals: the capture times of a dump, the socket clock live).
///
/// With RTCP sender reports a track's timestamps become the sender's wall-clock time (NTP),
/// which all tracks of a participant share: audio and video line up exactly (lip sync), and one
/// arrival offset per participant carries them to our clock. Before a track's first report its
/// timestamps are anchored by their own arrival times instead.
public struct ParticipantClock: Sendable {
    private struct Track: Sendable {
        var senderReport: (media: MediaTime, wallClock: MediaTime)?
        var arrival = ArrivalOffset()
    }

    private var tracks: [TrackID: Track] = [:]
    private var wallClockOffset = ArrivalOffset()

    public init() {}

    /// Records that a packet of `track` stamped `media` (unwrapped, in the codec's clock) arrived at `arrival`.
    public mutating func observePacket(track: TrackID, media: MediaTime, arrival: MediaTime) {
        var state = tracks[track] ?? Track()
        state.arrival.observe(sent: media, arrival: arrival)
        if let report = state.senderReport {
            wallClockOffset.observe(sent: report.wallClock + (media - report.media), arrival: arrival)
        }
        tracks[track] = state
    }

    /// Records an RTCP sender report of `track`: RTP time `media` (unwrapped) is sender wall-clock `wallClock`.
    public mutating func observeSenderReport(track: TrackID, media: MediaTime, wallClock: MediaTime) {
        tracks[track, default: Track()].senderReport = (media, wallClock)
    }

    /// Local-clock time of `media` on `track`, or nil before anything of the track arrived.
    public func localTime(track: TrackID, media: MediaTime) -> MediaTime? {
        guard let state = tracks[track] else { return nil }
        if let report = state.senderReport, let offset = wallClockOffset.estimate {
            return report.wallClock + (media - report.media) + offset
        }
        return state.arrival.estimate.map { media + $0 }
    }
}
