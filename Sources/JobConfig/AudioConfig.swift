/// The separate audio file (the composite file always carries the mixed audio).
public struct AudioConfig: Sendable, Hashable, Codable {
    public var codec: AudioCodec
    public var channel: AudioChannel
    /// Whether a separate audio file is produced.
    public var exportFile: Bool

    public init(codec: AudioCodec, channel: AudioChannel, exportFile: Bool) {
        self.codec = codec
        self.channel = channel
        self.exportFile = exportFile
    }

    enum CodingKeys: String, CodingKey {
        case codec, channel
        case exportFile = "export_file"
    }
}

public enum AudioCodec: String, Sendable, Hashable, Codable, CaseIterable {
    case aac = "AAC"
    case mp3 = "MP3"
}

public enum AudioChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case stereo
    case mono
}
