import CFFmpeg
import FFmpegBridge
import Foundation

/// Rewrites a finished fragmented MP4 as a plain MP4 with its index (moov) in front, so players
/// and browsers can start it without reading the whole file. The fragmented original is
/// replaced only once the rewrite is complete and synced; on any failure it stays as it was.
enum Faststart {
    static func rewrite(path: String, formatName: String) throws(MediaEncodeError) {
        // The temporary keeps the extension: the muxer checks it to pick the file's brand.
        let temporary = ((path as NSString).deletingPathExtension) + ".faststart-partial." + (path as NSString).pathExtension
        do throws(MediaEncodeError) {
            try remux(from: path, to: temporary, formatName: formatName)
            try syncFile(temporary)
            guard rename(temporary, path) == 0 else {
                throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func remux(from source: String, to destination: String, formatName: String) throws(MediaEncodeError) {
        var input: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_open_input(&input, source, nil, nil), "avformat_open_input", source)
        defer { avformat_close_input(&input) }
        try check(avformat_find_stream_info(input, nil), "avformat_find_stream_info", source)

        let output = try Muxer(path: destination, formatName: formatName)
        let streams = input!.pointee.streams!
        for index in 0..<Int(input!.pointee.nb_streams) {
            _ = try output.addStream(copying: streams[index]!.pointee.codecpar, timeBase: streams[index]!.pointee.time_base)
        }
        try output.writeHeader(options: [("movflags", "+faststart")])

        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        while true {
            let status = av_read_frame(input, packet)
            if status == tessera_averror_eof() { break }
            try check(status, "av_read_frame", source)
            defer { av_packet_unref(packet) }
            packet!.pointee.pos = -1
            try output.write(packet!, stream: Int(packet!.pointee.stream_index))
        }
        try output.finish()
    }
}

/// fsync a finished file so a rename after it never exposes a half-written file after a crash.
func syncFile(_ path: String) throws(MediaEncodeError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw .unwritableOutput(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw .unwritableOutput(path: path, reason: String(cString: strerror(errno))) }
}
