/// One recording job, as SPEC.md describes it (JSON in snake_case). A `JobConfig` comes out of
/// `JobConfigLoader`, which merges the config levels, fills the built-in defaults and validates;
/// the types themselves only carry the result.
public struct JobConfig: Sendable, Hashable, Codable {
    /// Generated (a lowercase UUID) when no level sets it.
    public var recordingID: String
    /// The meeting to record; absent for a replay, which reads dumps instead.
    public var meeting: MeetingConfig?
    /// Prefix of the output file name; without one the name starts with the room.
    public var fileNamePrefix: String?
    public var maxSeconds: Int
    public var emptyMeetingTimeoutSeconds: Int
    public var videoConfig: VideoConfig
    public var audioConfig: AudioConfig
    /// Absent: the files stay where they were written.
    public var storageConfig: StorageConfig?
    /// Absent: no status webhooks.
    public var webhook: WebhookConfig?
    /// Present: HLS with timed ID3 metadata instead of one file.
    public var interactiveConfig: InteractiveConfig?
    /// Present: the composite is also pushed live over RTMP.
    public var rtmpOutConfig: RTMPOutConfig?

    public init(
        recordingID: String, meeting: MeetingConfig?, fileNamePrefix: String? = nil,
        maxSeconds: Int, emptyMeetingTimeoutSeconds: Int, videoConfig: VideoConfig,
        audioConfig: AudioConfig, storageConfig: StorageConfig? = nil,
        webhook: WebhookConfig? = nil, interactiveConfig: InteractiveConfig? = nil,
        rtmpOutConfig: RTMPOutConfig? = nil
    ) {
        self.recordingID = recordingID
        self.meeting = meeting
        self.fileNamePrefix = fileNamePrefix
        self.maxSeconds = maxSeconds
        self.emptyMeetingTimeoutSeconds = emptyMeetingTimeoutSeconds
        self.videoConfig = videoConfig
        self.audioConfig = audioConfig
        self.storageConfig = storageConfig
        self.webhook = webhook
        self.interactiveConfig = interactiveConfig
        self.rtmpOutConfig = rtmpOutConfig
    }

    enum CodingKeys: String, CodingKey {
        case recordingID = "recording_id"
        case meeting
        case fileNamePrefix = "file_name_prefix"
        case maxSeconds = "max_seconds"
        case emptyMeetingTimeoutSeconds = "empty_meeting_timeout_seconds"
        case videoConfig = "video_config"
        case audioConfig = "audio_config"
        case storageConfig = "storage_config"
        case webhook
        case interactiveConfig = "interactive_config"
        case rtmpOutConfig = "rtmp_out_config"
    }
}

/// The meeting to join and how the bot appears in it.
public struct MeetingConfig: Sendable, Hashable, Codable {
    public var signaling: Signaling
    /// The signaling server, e.g. `ws://127.0.0.1:8188` for Janus.
    public var url: String
    public var room: RoomID
    /// The room's PIN, when the room has one.
    public var pin: Secret?
    /// A signaling token, when the server requires one.
    public var token: Secret?
    public var displayName: String

    public init(
        signaling: Signaling, url: String, room: RoomID, pin: Secret? = nil, token: Secret? = nil,
        displayName: String
    ) {
        self.signaling = signaling
        self.url = url
        self.room = room
        self.pin = pin
        self.token = token
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case signaling, url, room, pin, token
        case displayName = "display_name"
    }
}

/// The meeting server's protocol; one signaling adapter per case.
public enum Signaling: String, Sendable, Hashable, Codable, CaseIterable {
    case janus
}

/// A room is a number in Janus by default, or a name when Janus runs with `string_ids`.
public enum RoomID: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Int)
    case name(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .name(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .name(let name): try container.encode(name)
        }
    }

    /// As it appears in output file names.
    public var description: String {
        switch self {
        case .number(let number): String(number)
        case .name(let name): name
        }
    }
}

/// Where `recording.statusUpdate` events are POSTed.
public struct WebhookConfig: Sendable, Hashable, Codable {
    public var url: String
    /// The Standard Webhooks signing key; without it events are sent unsigned.
    public var secret: Secret?

    public init(url: String, secret: Secret? = nil) {
        self.url = url
        self.secret = secret
    }
}

/// Interactive (HLS) output with timed metadata.
public struct InteractiveConfig: Sendable, Hashable, Codable {
    public var type: InteractiveType

    public init(type: InteractiveType) {
        self.type = type
    }
}

public enum InteractiveType: String, Sendable, Hashable, Codable, CaseIterable {
    case id3 = "ID3"
}

/// A live RTMP push of the composite.
public struct RTMPOutConfig: Sendable, Hashable, Codable {
    /// Secret because RTMP URLs carry the stream key.
    public var rtmpURL: Secret

    public init(rtmpURL: Secret) {
        self.rtmpURL = rtmpURL
    }

    enum CodingKeys: String, CodingKey {
        case rtmpURL = "rtmp_url"
    }
}
