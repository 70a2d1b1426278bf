import CFFmpeg
import FFmpegBridge
import Foundation
import MediaTypes

/// Decodes a media file completely with libavformat/libavcodec, the way a player would, so tests
/// can check what a user would see and hear: streams, frames with their times, pixels, samples.
public struct DecodedMedia {
    public struct Stream {
        public var codecName: String
        public var isVideo: Bool
        public var width: Int
        public var height: Int
        public var sampleRate: Int
        public var channels: Int
        /// Stream start and duration in seconds, as the container states them (nil if unknown).
        public var startTime: Double?
        public var duration: Double?
    }

    public var streams: [Stream] = []
    /// Decoded pictures in presentation order, timestamps in seconds on the file's axis.
    public var videoFrames: [VideoFrame] = []
    /// Decoded audio as interleaved float samples (first audio stream), and its channel count.
    public var audioSamples: [Float] = []
    public var audioChannels = 0
    /// Presentation time of the first audio sample after priming is removed.
    public var audioStartTime: Double?
    public var formatDuration: Double?

    public var audioFrameCount: Int { audioChannels == 0 ? 0 : audioSamples.count / audioChannels }
}

public enum MediaFileReader {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Decodes every stream of `path`. With `keepFrames: false`, video frames are counted via
    /// their timestamps only (frames keep no pixels), for long files.
    public static func decode(_ path: String, keepPixels: Bool = true) throws -> DecodedMedia {
        var format: UnsafeMutablePointer<AVFormatContext>?
        try ffmpegCheck(avformat_open_input(&format, path, nil, nil), "avformat_open_input", path)
        defer { avformat_close_input(&format) }
        try ffmpegCheck(avformat_find_stream_info(format, nil), "avformat_find_stream_info", path)
        guard let format else { throw Failure(description: "no format context for \(path)") }

        var result = DecodedMedia()
        if format.pointee.duration != tessera_av_nopts_value() {
            result.formatDuration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        var decoders: [Int: UnsafeMutablePointer<AVCodecContext>] = [:]
        defer { for context in decoders.values { var owned: UnsafeMutablePointer<AVCodecContext>? = context; avcodec_free_context(&owned) } }
        var firstAudioStream: Int?

        for index in 0..<Int(format.pointee.nb_streams) {
            let stream = format.pointee.streams[index]!
            let parameters = stream.pointee.codecpar!.pointee
            let timeBase = stream.pointee.time_base
            let seconds = { (value: Int64) -> Double? in
                value == tessera_av_nopts_value() ? nil : Double(value) * Double(timeBase.num) / Double(timeBase.den)
            }
            let isVideo = parameters.codec_type == AVMEDIA_TYPE_VIDEO
            result.streams.append(.init(
                codecName: String(cString: avcodec_get_name(parameters.codec_id)), isVideo: isVideo,
                width: Int(parameters.width), height: Int(parameters.height), sampleRate: Int(parameters.sample_rate),
                channels: Int(parameters.ch_layout.nb_channels),
                startTime: seconds(stream.pointee.start_time), duration: seconds(stream.pointee.duration)))
            if !isVideo {
                if firstAudioStream != nil { continue }
                firstAudioStream = index
            }
            guard let codec = avcodec_find_decoder(parameters.codec_id), let context = avcodec_alloc_context3(codec) else {
                throw Failure(description: "no decoder for stream \(index) of \(path)")
            }
            decoders[index] = context
            try ffmpegCheck(avcodec_parameters_to_context(context, stream.pointee.codecpar), "avcodec_parameters_to_context", path)
            context.pointee.pkt_timebase = timeBase
            try ffmpegCheck(avcodec_open2(context, codec, nil), "avcodec_open2", path)
        }

        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer { av_packet_free(&packet); av_frame_free(&frame) }

        func drain(_ index: Int, _ context: UnsafeMutablePointer<AVCodecContext>) throws {
            let timeBase = format.pointee.streams[index]!.pointee.time_base
            while avcodec_receive_frame(context, frame) >= 0 {
                defer { av_frame_unref(frame) }
                let pts = frame!.pointee.best_effort_timestamp
                let time = MediaTime(value: pts * Int64(timeBase.num), timescale: Int64(timeBase.den))
                if context.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
                    let width = Int(frame!.pointee.width), height = Int(frame!.pointee.height)
                    let picture = VideoFrame(width: keepPixels ? width : 2, height: keepPixels ? height : 2, timestamp: time)
                    if keepPixels { FrameCopy.copy(frame!, into: picture) }
                    result.videoFrames.append(picture)
                } else {
                    if result.audioStartTime == nil { result.audioStartTime = time.seconds }
                    appendSamples(frame!, to: &result)
                }
            }
        }

        while av_read_frame(format, packet) >= 0 {
            defer { av_packet_unref(packet) }
            let index = Int(packet!.pointee.stream_index)
            guard let context = decoders[index] else { continue }
            try ffmpegCheck(avcodec_send_packet(context, packet), "avcodec_send_packet", "\(path) stream \(index)")
            try drain(index, context)
        }
        for (index, context) in decoders {
            avcodec_send_packet(context, nil)
            try drain(index, context)
        }
        return result
    }

    private static func appendSamples(_ frame: UnsafeMutablePointer<AVFrame>, to result: inout DecodedMedia) {
        let channels = Int(frame.pointee.ch_layout.nb_channels)
        let count = Int(frame.pointee.nb_samples)
        result.audioChannels = channels
        let format = AVSampleFormat(rawValue: frame.pointee.format)
        let planar = av_sample_fmt_is_planar(format) != 0
        for i in 0..<count {
            for channel in 0..<channels {
                let plane = tessera_frame_data(frame, Int32(planar ? channel : 0))!
                let position = planar ? i : i * channels + channel
                let value: Float
                switch format {
                case AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP:
                    value = UnsafeRawPointer(plane).load(fromByteOffset: position * 4, as: Float.self)
                case AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P:
                    value = Float(UnsafeRawPointer(plane).load(fromByteOffset: position * 2, as: Int16.self)) / 32768
                case AV_SAMPLE_FMT_S32, AV_SAMPLE_FMT_S32P:
                    value = Float(UnsafeRawPointer(plane).load(fromByteOffset: position * 4, as: Int32.self)) / 2_147_483_648
                default:
                    value = .nan
                }
                result.audioSamples.append(value)
            }
        }
    }
}
