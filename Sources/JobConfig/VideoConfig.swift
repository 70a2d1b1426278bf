/// The composite video: codec (which also picks the container), canvas, layout, watermark.
public struct VideoConfig: Sendable, Hashable, Codable {
    public var codec: VideoCodec
    /// Canvas size; portrait is width < height.
    public var width: Int
    public var height: Int
    public var fps: Int
    /// Absent: the encoder picks a bitrate for the size and frame rate.
    public var bitrateKbps: Int?
    public var layout: LayoutConfig
    public var watermark: WatermarkConfig?
    /// Whether the video file is produced at all (an audio-only job sets false).
    public var exportFile: Bool

    public init(
        codec: VideoCodec, width: Int, height: Int, fps: Int, bitrateKbps: Int? = nil,
        layout: LayoutConfig, watermark: WatermarkConfig? = nil, exportFile: Bool
    ) {
        self.codec = codec
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.layout = layout
        self.watermark = watermark
        self.exportFile = exportFile
    }

    enum CodingKeys: String, CodingKey {
        case codec, width, height, fps
        case bitrateKbps = "bitrate_kbps"
        case layout, watermark
        case exportFile = "export_file"
    }
}

public enum VideoCodec: String, Sendable, Hashable, Codable, CaseIterable {
    /// MP4 with AAC audio.
    case h264 = "H264"
    /// WebM with Opus audio.
    case vp8 = "VP8"
}

public struct LayoutConfig: Sendable, Hashable, Codable {
    public var type: LayoutType
    /// Whether tiles carry the participant's name.
    public var labels: Bool
    /// Canvas colour behind the tiles, `#rrggbb`.
    public var background: String

    public init(type: LayoutType, labels: Bool, background: String) {
        self.type = type
        self.labels = labels
        self.background = background
    }
}

public enum LayoutType: String, Sendable, Hashable, Codable, CaseIterable {
    case grid
    case speaker
    case singleSpeaker = "single_speaker"
    case presentation
    /// Grid, and presentation while someone shares a screen.
    case auto
}

public struct WatermarkConfig: Sendable, Hashable, Codable {
    /// A `file://` or `http(s)://` image.
    public var url: String
    /// Absent: the image's own size.
    public var size: WatermarkSize?
    public var position: WatermarkPosition

    public init(url: String, size: WatermarkSize? = nil, position: WatermarkPosition) {
        self.url = url
        self.size = size
        self.position = position
    }
}

public struct WatermarkSize: Sendable, Hashable, Codable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

public enum WatermarkPosition: String, Sendable, Hashable, Codable, CaseIterable {
    case leftTop = "left top"
    case rightTop = "right top"
    case leftBottom = "left bottom"
    case rightBottom = "right bottom"
}
