import CFFmpeg
import FFmpegBridge
import MediaTypes

/// Why a track's frames could not be decoded. Carries the track so logs say whose picture broke.
public enum MediaDecodeError: Error, CustomStringConvertible, Sendable {
    case unsupportedCodec(track: TrackID, codec: Codec)
    case ffmpeg(track: TrackID, FFmpegError)

    public var description: String {
        switch self {
        case let .unsupportedCodec(track, codec): return "track \(track): Tessera does not decode \(codec.rawValue)"
        case let .ffmpeg(track, error): return "track \(track): \(error)"
        }
    }
}

/// One opened libavcodec decoder with its reusable packet and frame. Owned by one executor.
final class DecoderContext {
    let track: TrackID
    let context: UnsafeMutablePointer<AVCodecContext>
    let packet: UnsafeMutablePointer<AVPacket>
    let frame: UnsafeMutablePointer<AVFrame>

    init(track: TrackID, codec: Codec, configure: (UnsafeMutablePointer<AVCodecContext>) -> Void = { _ in }) throws(MediaDecodeError) {
        FFmpegLog.quietUnlessRouted()
        self.track = track
        let id: AVCodecID
        switch codec {
        case .vp8: id = AV_CODEC_ID_VP8
        case .h264: id = AV_CODEC_ID_H264
        case .opus: id = AV_CODEC_ID_OPUS
        case .aac, .mp3: throw .unsupportedCodec(track: track, codec: codec)
        }
        guard let decoder = avcodec_find_decoder(id) else { throw .unsupportedCodec(track: track, codec: codec) }
        guard let context = avcodec_alloc_context3(decoder), let packet = av_packet_alloc(), let frame = av_frame_alloc() else {
            throw .ffmpeg(track: track, FFmpegError(function: "avcodec_alloc_context3", code: tessera_averror(ENOMEM)))
        }
        self.context = context
        self.packet = packet
        self.frame = frame
        // Real-time tracks: one thread per decoder (many tracks already use the cores) and no
        // output delay, so a frame comes out for every frame that goes in.
        context.pointee.thread_count = 1
        context.pointee.flags |= AV_CODEC_FLAG_LOW_DELAY
        configure(context)
        do {
            try ffmpegCheck(avcodec_open2(context, decoder, nil), "avcodec_open2", "\(codec.rawValue) decoder")
        } catch {
            throw .ffmpeg(track: track, error)
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
    }

    /// Sends `data` as one packet with `pts` and hands each decoded frame to `receive` (borrowed
    /// for the call). Returns false when the decoder rejected the packet.
    func decode(_ data: [UInt8], pts: Int64, receive: (UnsafeMutablePointer<AVFrame>) -> Void) -> Bool {
        let accepted = data.withUnsafeBufferPointer { bytes -> Bool in
            // The packet borrows our bytes: no copy, no AVBuffer (decoders copy what they keep).
            packet.pointee.data = UnsafeMutablePointer(mutating: bytes.baseAddress)
            packet.pointee.size = Int32(bytes.count)
            packet.pointee.pts = pts
            packet.pointee.dts = pts
            defer {
                packet.pointee.data = nil
                packet.pointee.size = 0
            }
            return avcodec_send_packet(context, packet) >= 0
        }
        var decodedCleanly = accepted
        while true {
            let status = avcodec_receive_frame(context, frame)
            if status < 0 {
                if status != tessera_averror_eagain() && status != tessera_averror_eof() { decodedCleanly = false }
                break
            }
            defer { av_frame_unref(frame) }
            if frame.pointee.decode_error_flags != 0 || frame.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 {
                decodedCleanly = false
                continue
            }
            receive(frame)
        }
        return decodedCleanly
    }
}
