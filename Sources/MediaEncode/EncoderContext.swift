import CFFmpeg
import FFmpegBridge

/// One opened libavcodec encoder with its reusable frame and packet. Owned by one thread.
final class EncoderContext {
    let context: UnsafeMutablePointer<AVCodecContext>
    let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    let name: String

    /// Allocates a context for `encoderName`; `configure` sets its fields and private options
    /// before it is opened.
    init(encoderName: String, configure: (UnsafeMutablePointer<AVCodecContext>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        FFmpegLog.quietUnlessRouted()
        guard let codec = avcodec_find_encoder_by_name(encoderName) else {
            throw .missingComponent("encoder \(encoderName)")
        }
        guard let context = avcodec_alloc_context3(codec), let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            throw .ffmpeg(FFmpegError(function: "avcodec_alloc_context3", code: tessera_averror(ENOMEM), context: encoderName))
        }
        self.context = context
        self.frame = frame
        self.packet = packet
        self.name = encoderName
        // Every container Tessera writes (MP4, WebM, M4A) keeps codec headers out of band.
        context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        try configure(context)
        try check(avcodec_open2(context, codec, nil), "avcodec_open2", encoderName)
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    var timeBase: AVRational { context.pointee.time_base }

    /// Sends `frame` (nil flushes) and hands every packet the encoder returns to `emit`, in the
    /// encoder's time base. The packet is only borrowed for the call.
    func send(_ frame: UnsafeMutablePointer<AVFrame>?, emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        try check(avcodec_send_frame(context, frame), "avcodec_send_frame", name)
        while true {
            let status = avcodec_receive_packet(context, packet)
            if status == tessera_averror_eagain() || status == tessera_averror_eof() { return }
            try check(status, "avcodec_receive_packet", name)
            defer { av_packet_unref(packet) }
            try emit(packet)
        }
    }

    /// Sets an encoder-private option (x264 `preset`, libvpx `deadline`, ...); before opening only.
    static func setOption(_ context: UnsafeMutablePointer<AVCodecContext>, _ key: String, _ value: String) throws(MediaEncodeError) {
        try check(av_opt_set(context.pointee.priv_data, key, value, 0), "av_opt_set", "\(key)=\(value)")
    }
}
