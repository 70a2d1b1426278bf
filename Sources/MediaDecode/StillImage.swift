import CFFmpeg
import FFmpegBridge
import Foundation

/// A decoded still picture: `width * height` pixels of 8-bit red, green, blue and opacity
/// (straight, not premultiplied), rows packed.
public struct RGBAImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at (x, y): red, green, blue, opacity.
    public subscript(x: Int, y: Int) -> [UInt8] { Array(pixels[(4 * (y * width + x))..<(4 * (y * width + x) + 4)]) }
}

/// Why a still picture could not be read; names the picture.
public struct StillImageError: Error, CustomStringConvertible, Sendable {
    public var url: String
    public var reason: String

    public var description: String { "\(url): \(reason)" }
}

/// Reads one still picture (PNG, JPEG, anything libavformat opens as an image) from a
/// `file://` URL, a path, or an `http(s)://` URL, into RGBA.
public enum StillImage {
    /// Network reads give up after this long without data.
    static let networkTimeoutMicroseconds = "10000000"

    public static func decode(url: String) throws(StillImageError) -> RGBAImage {
        FFmpegLog.quietUnlessRouted()
        let location = url.hasPrefix("file://") ? (URL(string: url)?.path ?? String(url.dropFirst(7))) : url
        func failure(_ error: FFmpegError) -> StillImageError { StillImageError(url: url, reason: "\(error)") }
        var format: UnsafeMutablePointer<AVFormatContext>?
        var options: OpaquePointer?
        av_dict_set(&options, "rw_timeout", networkTimeoutMicroseconds, 0)
        defer { av_dict_free(&options) }
        do {
            try ffmpegCheck(avformat_open_input(&format, location, nil, &options), "avformat_open_input")
        } catch {
            throw failure(error)
        }
        defer { avformat_close_input(&format) }
        guard let format else { throw StillImageError(url: url, reason: "avformat_open_input returned no context") }
        let streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard streamIndex >= 0, let stream = format.pointee.streams[Int(streamIndex)],
              let decoder = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id) else {
            throw StillImageError(url: url, reason: "not a picture libavformat can decode")
        }
        var context = avcodec_alloc_context3(decoder)
        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer {
            avcodec_free_context(&context)
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        guard let context, let packet, let frame else { throw failure(FFmpegError(function: "avcodec_alloc_context3", code: tessera_averror(ENOMEM))) }
        do {
            try ffmpegCheck(avcodec_parameters_to_context(context, stream.pointee.codecpar), "avcodec_parameters_to_context")
            try ffmpegCheck(avcodec_open2(context, decoder, nil), "avcodec_open2")
            // The picture's packets, then the end of input, until a frame comes out.
            var drained = false
            while true {
                let received = avcodec_receive_frame(context, frame)
                if received >= 0 { break }
                if received != tessera_averror_eagain() || drained { try ffmpegCheck(received, "avcodec_receive_frame") }
                let read = av_read_frame(format, packet)
                if read == tessera_averror_eof() {
                    try ffmpegCheck(avcodec_send_packet(context, nil), "avcodec_send_packet")
                    drained = true
                    continue
                }
                try ffmpegCheck(read, "av_read_frame")
                defer { av_packet_unref(packet) }
                if packet.pointee.stream_index == streamIndex {
                    try ffmpegCheck(avcodec_send_packet(context, packet), "avcodec_send_packet")
                }
            }
        } catch {
            throw failure(error)
        }
        return try rgba(of: frame, url: url)
    }

    /// The decoded frame converted to packed RGBA (swscale; exact for RGB(A) sources).
    private static func rgba(of frame: UnsafeMutablePointer<AVFrame>, url: String) throws(StillImageError) -> RGBAImage {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        guard width > 0, height > 0 else { throw StillImageError(url: url, reason: "the picture is empty") }
        guard let converter = sws_getContext(Int32(width), Int32(height), AVPixelFormat(rawValue: frame.pointee.format),
                                             Int32(width), Int32(height), AV_PIX_FMT_RGBA, SWS_POINT, nil, nil, nil) else {
            throw StillImageError(url: url, reason: "cannot convert pixel format \(frame.pointee.format) to RGBA")
        }
        defer { sws_freeContext(converter) }
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        pixels.withUnsafeMutableBufferPointer { buffer in
            FrameCopy.convert(frame, with: converter, into: [buffer.baseAddress, nil, nil, nil], strides: [Int32(width * 4), 0, 0, 0])
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}
