/// A meeting participant, as the meeting server or the dump names it.
public struct ParticipantID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: ParticipantID, rhs: ParticipantID) -> Bool { lhs.rawValue < rhs.rawValue }
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
