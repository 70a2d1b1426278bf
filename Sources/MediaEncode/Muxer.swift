import CFFmpeg
import FFmpegBridge
import Foundation

/// The containers Tessera writes.
enum Container {
    /// Fragmented MP4 (H.264 + AAC), a fragment at each keyframe and at least every 2 s.
    case mp4
    /// Audio-only fragmented MP4 (AAC).
    case m4a
    /// WebM (VP8 + Opus), clusters of at most 2 s.
    case webm
    /// MP3 audio-only.
    case mp3

    var formatName: String {
        switch self {
        case .mp4: return "mp4"
        case .m4a: return "ipod"
        case .webm: return "webm"
        case .mp3: return "mp3"
        }
    }

    /// Muxer options that bound what a killed process loses to about 2 s.
    var crashSafeOptions: [(String, String)] {
        switch self {
        case .mp4, .m4a:
            // Fragments: playable up to the last complete one. delay_moov writes the header with the
            // first fragment, once start times are known, so it can carry edit lists: the
            // encoders' B-frame delay and AAC priming then need no timestamp shift.
            // frag_duration caps a fragment even when keyframes are rare (and for audio-only files).
            return [
                ("movflags", "+frag_keyframe+delay_moov+default_base_moof"), ("use_editlist", "1"),
                ("frag_duration", "2000000"),
            ]
        case .webm:
            return [("cluster_time_limit", "2000")]
        case .mp3:
            return []
        }
    }

    /// Whether a clean finish rewrites the file with its index in front.
    var rewritesWithIndexInFront: Bool { self == .mp4 || self == .m4a }
}

/// One output file: streams added from opened encoders (or copied from another file), packets
/// written as they come, every packet pushed to the file at once so a crash loses only the
/// fragment in progress.
final class Muxer {
    let path: String
    private let context: UnsafeMutablePointer<AVFormatContext>
    private let scratch: UnsafeMutablePointer<AVPacket>
    /// Time base of the packets handed to `write` for each stream.
    private var sourceTimeBases: [AVRational] = []
    private var headerWritten = false
    private var closed = false

    init(path: String, formatName: String) throws(MediaEncodeError) {
        self.path = path
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&context, nil, formatName, path), "avformat_alloc_output_context2", path)
        guard let context, let scratch = av_packet_alloc() else { throw .missingComponent("muxer \(formatName)") }
        self.context = context
        self.scratch = scratch
        context.pointee.flush_packets = 1
        // On failure deinit runs (all properties are set) and frees the context.
        let status = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
        if status < 0 {
            throw .unwritableOutput(path: path, reason: FFmpegError(function: "avio_open", code: status).message)
        }
    }

    deinit {
        closeFile()
        avformat_free_context(context)
        var packet: UnsafeMutablePointer<AVPacket>? = scratch
        av_packet_free(&packet)
    }

    /// Adds a stream carrying `encoder`'s packets; returns its index.
    func addStream(for encoder: EncoderContext) throws(MediaEncodeError) -> Int {
        let stream = try newStream(timeBase: encoder.timeBase)
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), "avcodec_parameters_from_context", path)
        return sourceTimeBases.count - 1
    }

    /// Adds a stream that copies packets of another file's stream; returns its index.
    func addStream(copying parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws(MediaEncodeError) -> Int {
        let stream = try newStream(timeBase: timeBase)
        try check(avcodec_parameters_copy(stream.pointee.codecpar, parameters), "avcodec_parameters_copy", path)
        stream.pointee.codecpar.pointee.codec_tag = 0
        return sourceTimeBases.count - 1
    }

    private func newStream(timeBase: AVRational) throws(MediaEncodeError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else {
            throw .ffmpeg(FFmpegError(function: "avformat_new_stream", code: tessera_averror(ENOMEM), context: path))
        }
        stream.pointee.time_base = timeBase
        sourceTimeBases.append(timeBase)
        return stream
    }

    func writeHeader(options pairs: [(String, String)]) throws(MediaEncodeError) {
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        for (key, value) in pairs { av_dict_set(&options, key, value, 0) }
        try check(avformat_write_header(context, &options), "avformat_write_header", path)
        headerWritten = true
    }

    /// Writes a copy of `packet` (in the time base given when the stream was added) to stream `index`.
    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream index: Int) throws(MediaEncodeError) {
        try check(av_packet_ref(scratch, packet), "av_packet_ref", path)
        scratch.pointee.stream_index = Int32(index)
        av_packet_rescale_ts(scratch, sourceTimeBases[index], context.pointee.streams[index]!.pointee.time_base)
        try check(av_interleaved_write_frame(context, scratch), "av_interleaved_write_frame", path)
    }

    /// Writes the trailer and closes the file.
    func finish() throws(MediaEncodeError) {
        guard !closed else { return }
        if headerWritten {
            let status = av_write_trailer(context)
            closeFile()
            try check(status, "av_write_trailer", path)
        } else {
            closeFile()
        }
    }

    private func closeFile() {
        guard !closed else { return }
        closed = true
        avio_closep(&context.pointee.pb)
    }
}
