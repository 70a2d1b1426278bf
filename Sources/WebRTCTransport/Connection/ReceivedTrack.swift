import MediaTypes

/// One media track the connection receives: an accepted m-line of the remote offer.
public struct ReceivedTrack: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case audio
        case video
    }

    /// The track's id: its `a=mid`, unique within the connection.
    public var id: TrackID
    public var mid: String
    public var kind: Kind

    public init(mid: String, kind: Kind) {
        id = TrackID(mid)
        self.mid = mid
        self.kind = kind
    }

    public var description: String { "\(kind.rawValue) track mid \(mid)" }
}

/// A frame the connection assembled, with the track it belongs to.
public struct ReceivedFrame: Sendable {
    public var track: ReceivedTrack
    /// `frame.track` is `track.id`; `frame.codec` is the codec its payload type named.
    public var frame: EncodedFrame

    public init(track: ReceivedTrack, frame: EncodedFrame) {
        self.track = track
        self.frame = frame
    }
}
