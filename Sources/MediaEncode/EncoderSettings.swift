/// The video codecs Tessera writes, each with the container it goes into.
public enum VideoCodec: String, Sendable, CaseIterable {
    case h264 = "H264"
    case vp8 = "VP8"

    public init(name: String, field: String = "video_config.codec") throws(MediaEncodeError) {
        guard let codec = VideoCodec.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            throw .invalidSetting(field: field, value: name, allowed: VideoCodec.allCases.map(\.rawValue).joined(separator: " or "))
        }
        self = codec
    }

    /// The audio codec that shares the main file with this video codec.
    public var companionAudio: AudioCodec { self == .h264 ? .aac : .opus }

    public var fileExtension: String { self == .h264 ? "mp4" : "webm" }
}

public enum AudioCodec: String, Sendable, CaseIterable {
    case aac = "AAC"
    case opus = "OPUS"
    case mp3 = "MP3"

    public init(name: String, field: String = "audio_config.codec") throws(MediaEncodeError) {
        guard let codec = AudioCodec.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            throw .invalidSetting(field: field, value: name, allowed: AudioCodec.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = codec
    }

    var encoderName: String {
        switch self {
        case .aac: return "aac"
        case .opus: return "libopus"
        case .mp3: return "libmp3lame"
        }
    }

    /// Extension of a separate audio-only file in this codec.
    public var audioFileExtension: String {
        switch self {
        case .aac: return "m4a"
        case .opus: return "opus"
        case .mp3: return "mp3"
        }
    }
}

/// How the composite video is encoded. Defaults: H.264 superfast tuned for composites, a keyframe
/// every 2 s (so a fragment, and at most 2 s of a killed recording, is lost).
public struct VideoEncoderSettings: Sendable, Equatable {
    public var codec: VideoCodec
    public var width: Int
    public var height: Int
    public var fps: Int
    /// Target bitrate; nil means constant quality for H.264 (`crf`) and a size-based bitrate for VP8.
    public var bitrateKbps: Int?
    /// H.264 constant rate factor when no bitrate is set.
    public var crf: Int
    /// x264 preset (ultrafast ... veryslow).
    public var preset: String
    /// x264 options applied over the preset (`x264-params` syntax); empty leaves the preset as is.
    public var x264Options: String
    public var keyframeIntervalSeconds: Int
    /// Encoder threads. 1 (the default) encodes on the pipeline's own thread, the cheapest per
    /// frame: replaying the PipelineCost meeting took 3.2-3.3 s of CPU with one x264 thread,
    /// 3.9-4.4 s and 15 MB more memory with two; 0 lets the encoder choose (for presets one
    /// core cannot carry).
    public var threads: Int
    /// libvpx speed (0 best ... 16 fastest); realtime deadline always.
    public var vp8CpuUsed: Int

    public init(
        codec: VideoCodec = .h264, width: Int = 1280, height: Int = 720, fps: Int = 30,
        bitrateKbps: Int? = nil, crf: Int = 29, preset: String = "superfast",
        x264Options: String = VideoEncoderSettings.compositeX264Options,
        keyframeIntervalSeconds: Int = 2, threads: Int = 1, vp8CpuUsed: Int = 8
    ) {
        self.codec = codec
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.crf = crf
        self.preset = preset
        self.x264Options = x264Options
        self.keyframeIntervalSeconds = keyframeIntervalSeconds
        self.threads = threads
        self.vp8CpuUsed = vp8CpuUsed
    }

    /// superfast tuned for a composite picture, measured by the PipelineCost benchmark against
    /// plain superfast at the same bitrate: higher PSNR for about 60% of the encoding time.
    /// Adaptive quantization off (its variance pass costs time; it moves bits to flat areas
    /// for the eye, which gutters and small tiles do not need), no weighted prediction (a
    /// composite has no fades), no scene-cut detection (a layout change is the only cut and a
    /// keyframe comes every two seconds anyway), a fixed B-frame pattern, full-pixel motion
    /// search and 4x4 transforms only.
    public static let compositeX264Options = "aq-mode=0:weightp=0:scenecut=0:b-adapt=0:subme=0:8x8dct=0"

    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]

    /// Throws the first setting outside what the encoders accept, naming its job-config field.
    public func validate() throws(MediaEncodeError) {
        for (field, value) in [("video_config.width", width), ("video_config.height", height)] {
            guard (16...1920).contains(value), value % 2 == 0 else {
                throw .invalidSetting(field: field, value: String(value), allowed: "an even number from 16 to 1920")
            }
        }
        guard (1...60).contains(fps) else {
            throw .invalidSetting(field: "video_config.fps", value: String(fps), allowed: "1 to 60")
        }
        if let bitrateKbps, !(100...50_000).contains(bitrateKbps) {
            throw .invalidSetting(field: "video_config.bitrate_kbps", value: String(bitrateKbps), allowed: "100 to 50000")
        }
        guard (0...51).contains(crf) else {
            throw .invalidSetting(field: "video_config.crf", value: String(crf), allowed: "0 to 51")
        }
        guard VideoEncoderSettings.x264Presets.contains(preset) else {
            throw .invalidSetting(field: "video_config.preset", value: preset, allowed: VideoEncoderSettings.x264Presets.joined(separator: ", "))
        }
        guard (1...10).contains(keyframeIntervalSeconds) else {
            throw .invalidSetting(field: "video_config.keyframe_interval_seconds", value: String(keyframeIntervalSeconds), allowed: "1 to 10")
        }
        guard (0...16).contains(threads) else {
            throw .invalidSetting(field: "video_config.threads", value: String(threads), allowed: "0 (automatic) to 16")
        }
        guard (0...16).contains(vp8CpuUsed) else {
            throw .invalidSetting(field: "video_config.vp8_cpu_used", value: String(vp8CpuUsed), allowed: "0 to 16")
        }
    }

    /// VP8 has no constant-quality mode in realtime; without a bitrate, spend about 0.1 bit per pixel.
    var effectiveBitrateKbps: Int? {
        if let bitrateKbps { return bitrateKbps }
        return codec == .vp8 ? max(300, width * height * fps / 10_000) : nil
    }
}

public struct AudioEncoderSettings: Sendable, Equatable {
    public var codec: AudioCodec
    public var channels: Int
    public var bitrateKbps: Int?

    public init(codec: AudioCodec = .aac, channels: Int = 2, bitrateKbps: Int? = nil) {
        self.codec = codec
        self.channels = channels
        self.bitrateKbps = bitrateKbps
    }

    public func validate() throws(MediaEncodeError) {
        guard channels == 1 || channels == 2 else {
            throw .invalidSetting(field: "audio_config.channel", value: String(channels), allowed: "mono or stereo")
        }
        if let bitrateKbps, !(16...320).contains(bitrateKbps) {
            throw .invalidSetting(field: "audio_config.bitrate_kbps", value: String(bitrateKbps), allowed: "16 to 320")
        }
    }

    var effectiveBitrateKbps: Int {
        bitrateKbps ?? (codec == .opus ? 48 : 64) * channels
    }
}
