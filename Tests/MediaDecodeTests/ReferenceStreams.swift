import Foundation
import MediaTypes

/// Encoded streams made by FFmpeg's command-line tool (libvpx, libx264, libopus: encoders
/// nobody here wrote) and FFmpeg's own decoding of them, the reference our decoders must match.
enum ReferenceStreams {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Runs ffmpeg with `arguments` (after `-v error -y`); throws with its stderr on failure.
    static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-v", "error", "-y"] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ffmpeg \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// `count` frames of FFmpeg's testsrc2 pattern at `size`, encoded with `codec`
    /// ("libvpx" or "libx264"), a keyframe every `gop` frames, split into one `EncodedFrame` per
    /// picture with 90 kHz timestamps; plus FFmpeg's decoding of the same stream as raw I420
    /// (converted from `pixelFormat` with swscale's bilinear filter).
    static func video(codec: Codec, size: String, count: Int, gop: Int, pixelFormat: String = "yuv420p",
                      in folder: String) throws -> (frames: [EncodedFrame], reference: Data) {
        let encoded = folder + "/\(codec.rawValue)-\(size)-\(pixelFormat).\(codec == .vp8 ? "ivf" : "h264")"
        let encoder = codec == .vp8
            ? ["-c:v", "libvpx", "-deadline", "realtime", "-b:v", "800k", "-f", "ivf"]
            : ["-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-x264-params", "aud=1", "-bsf:v", "h264_mp4toannexb", "-f", "h264"]
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=30", "-frames:v", String(count), "-g", String(gop), "-keyint_min", String(gop), "-pix_fmt", pixelFormat] + encoder + [encoded])
        let raw = folder + "/\(codec.rawValue)-\(size)-\(pixelFormat).yuv"
        try ffmpeg(["-i", encoded, "-f", "rawvideo", "-sws_flags", "bilinear", "-pix_fmt", "yuv420p", raw])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: encoded)))
        let payloads = codec == .vp8 ? ivfFrames(bytes) : annexBAccessUnits(bytes)
        let frames = payloads.enumerated().map { index, payload in
            EncodedFrame(track: TrackID("camera"), codec: codec, data: payload,
                         timestamp: MediaTime(value: Int64(index) * 3000, timescale: 90_000),
                         isKeyframe: index % gop == 0)
        }
        return (frames, try Data(contentsOf: URL(fileURLWithPath: raw)))
    }

    /// IVF: a 32-byte file header, then per frame a 12-byte header (size, pts) and the frame.
    static func ivfFrames(_ bytes: [UInt8]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var offset = 32
        while offset + 12 <= bytes.count {
            let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let start = offset + 12
            guard start + size <= bytes.count else { break }
            frames.append(Array(bytes[start..<(start + size)]))
            offset = start + size
        }
        return frames
    }

    /// Splits an Annex-B H.264 stream at its access unit delimiters (NAL type 9).
    static func annexBAccessUnits(_ bytes: [UInt8]) -> [[UInt8]] {
        var starts: [Int] = []
        var index = 0
        while index + 4 < bytes.count {
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1, bytes[index + 3] & 0x1F == 9 {
                starts.append(index > 0 && bytes[index - 1] == 0 ? index - 1 : index)
            }
            index += 1
        }
        return zip(starts, starts.dropFirst() + [bytes.count]).map { Array(bytes[$0..<$1]) }
    }

    /// `seconds` of a `frequency` Hz sine encoded by libopus in 20 ms packets (read from the
    /// Ogg pages), timed in 48 kHz samples.
    static func opus(frequency: Int, seconds: Int, in folder: String) throws -> [EncodedFrame] {
        let path = folder + "/tone.opus"
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=48000:duration=\(seconds)", "-ac", "2",
                    "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", path])
        let packets = oggPackets([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        // The first two packets are the OpusHead and OpusTags headers.
        return packets.dropFirst(2).enumerated().map { index, data in
            EncodedFrame(track: TrackID("microphone"), codec: .opus, data: data,
                         timestamp: MediaTime(value: Int64(index) * 960, timescale: 48_000), isKeyframe: true)
        }
    }

    /// The packets of an Ogg stream: each page's segments joined, 255-byte segments continuing.
    static func oggPackets(_ bytes: [UInt8]) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var current: [UInt8] = []
        var offset = 0
        while offset + 27 <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual("OggS".utf8) {
            let segments = Int(bytes[offset + 26])
            var body = offset + 27 + segments
            for segment in 0..<segments {
                let length = Int(bytes[offset + 27 + segment])
                current += bytes[body..<min(body + length, bytes.count)]
                body += length
                if length < 255 {
                    packets.append(current)
                    current = []
                }
            }
            offset = body
        }
        return packets
    }

    /// Frame `index` of a raw I420 file of `width`x`height` pictures, as plane byte arrays.
    static func planes(of raw: Data, index: Int, width: Int, height: Int) -> [ArraySlice<UInt8>] {
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        let frameSize = width * height + 2 * chromaWidth * chromaHeight
        let start = index * frameSize
        let bytes = [UInt8](raw[start..<(start + frameSize)])
        let luma = width * height, chroma = chromaWidth * chromaHeight
        return [bytes[0..<luma], bytes[luma..<(luma + chroma)], bytes[(luma + chroma)..<(luma + 2 * chroma)]]
    }
}

extension VideoFrame {
    /// The frame's planes without row padding, to compare with raw I420.
    func packedPlanes() -> [[UInt8]] {
        VideoFrame.Plane.allCases.map { plane in
            (0..<planeHeight(plane)).flatMap { row in
                Array(UnsafeBufferPointer(start: pointer(plane) + row * stride(plane), count: planeWidth(plane)))
            }
        }
    }
}
