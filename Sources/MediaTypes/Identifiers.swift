/// A meeting participant, as the meeting server or the dump names it.
public struct ParticipantID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: ParticipantID, rhs: ParticipantID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ParticipantID {
    /// The tile of a participant's further video stream (a screen share on the same
    /// connection): `<participant>/<stream>`.
    public static func screenShare(of participant: String, stream: String) -> ParticipantID {
        ParticipantID("\(participant)/\(stream)")
    }

    /// Whether this is the tile of a screen share.
    public var isScreenShare: Bool { rawValue.contains("/") }
}

/// One media track of a participant (a camera, a microphone, a screen share).
public struct TrackID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: TrackID, rhs: TrackID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The codecs Tessera receives or produces.
public enum Codec: String, Sendable, Hashable, CaseIterable {
    case vp8 = "VP8"
    case h264 = "H264"
    case opus = "opus"
    case aac = "AAC"
    case mp3 = "MP3"

    public var isVideo: Bool { self == .vp8 || self == .h264 }
}
