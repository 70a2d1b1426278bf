import CFFmpeg
import FFmpegBridge
import MediaTypes

/// H.264 (libx264) or VP8 (libvpx) encoder for the composite picture. Frame n of the output
/// has pts n in a 1/fps time base.
final class VideoEncoder {
    let settings: VideoEncoderSettings
    let encoder: EncoderContext

    init(settings: VideoEncoderSettings) throws(MediaEncodeError) {
        try settings.validate()
        self.settings = settings
        encoder = try EncoderContext(encoderName: settings.codec == .h264 ? "libx264" : "libvpx") { context throws(MediaEncodeError) in
            context.pointee.width = Int32(settings.width)
            context.pointee.height = Int32(settings.height)
            context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            context.pointee.time_base = AVRational(num: 1, den: Int32(settings.fps))
            context.pointee.framerate = AVRational(num: Int32(settings.fps), den: 1)
            context.pointee.gop_size = Int32(settings.fps * settings.keyframeIntervalSeconds)
            context.pointee.keyint_min = min(context.pointee.gop_size, Int32(settings.fps))
            context.pointee.thread_count = Int32(settings.threads)
            if let kbps = settings.effectiveBitrateKbps {
                context.pointee.bit_rate = Int64(kbps) * 1000
            }
            switch settings.codec {
            case .h264:
                try EncoderContext.setOption(context, "preset", settings.preset)
                if !settings.x264Options.isEmpty { try EncoderContext.setOption(context, "x264-params", settings.x264Options) }
                if settings.bitrateKbps == nil { try EncoderContext.setOption(context, "crf", String(settings.crf)) }
            case .vp8:
                try EncoderContext.setOption(context, "deadline", "realtime")
                try EncoderContext.setOption(context, "cpu-used", String(settings.vp8CpuUsed))
                // No lookahead: a recorder wants each frame out as soon as it is composited.
                try EncoderContext.setOption(context, "lag-in-frames", "0")
            }
        }
        let frame = encoder.frame
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointee.width = Int32(settings.width)
        frame.pointee.height = Int32(settings.height)
        try check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer", "video \(settings.width)x\(settings.height)")
    }

    /// Encodes `source` as output frame `index`.
    func encode(_ source: VideoFrame, index: Int64, emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        let frame = encoder.frame
        // The encoder may still hold a reference to the previous buffer (lookahead).
        try check(av_frame_make_writable(frame), "av_frame_make_writable", encoder.name)
        FrameCopy.copy(source, into: frame)
        frame.pointee.pts = index
        try encoder.send(frame, emit: emit)
    }

    func flush(emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        try encoder.send(nil, emit: emit)
    }
}
