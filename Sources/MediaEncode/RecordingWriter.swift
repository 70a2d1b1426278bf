import CFFmpeg
import FFmpegBridge
import Foundation
import MediaTypes

/// What one recording writes: the composite file and, optionally, a separate audio-only file.
public struct RecordingOutput: Sendable, Equatable {
    /// The composite file: MP4 for H.264 (with AAC audio), WebM for VP8 (with Opus audio).
    public var path: String
    public var video: VideoEncoderSettings
    /// Channels and bitrate of the composite file's audio; its codec follows the video codec.
    public var audioChannels: Int
    public var audioBitrateKbps: Int?
    /// `audio_config.export_file`: a separate `.m4a` (AAC) or `.mp3` (MP3) beside the video.
    public var audioExport: AudioExport?
    /// Rewrite MP4 files with the index in front on a clean finish.
    public var faststart: Bool

    public struct AudioExport: Sendable, Equatable {
        public var codec: AudioCodec
        public var path: String
        public init(codec: AudioCodec, path: String) {
            self.codec = codec
            self.path = path
        }
    }

    public init(
        path: String, video: VideoEncoderSettings = VideoEncoderSettings(), audioChannels: Int = 2,
        audioBitrateKbps: Int? = nil, audioExport: AudioExport? = nil, faststart: Bool = true
    ) {
        self.path = path
        self.video = video
        self.audioChannels = audioChannels
        self.audioBitrateKbps = audioBitrateKbps
        self.audioExport = audioExport
        self.faststart = faststart
    }

    var mainAudio: AudioEncoderSettings {
        AudioEncoderSettings(codec: video.codec.companionAudio, channels: audioChannels, bitrateKbps: audioBitrateKbps)
    }

    func validate() throws(MediaEncodeError) {
        try video.validate()
        try mainAudio.validate()
        if let audioExport, audioExport.codec == .opus {
            throw .invalidSetting(field: "audio_config.codec", value: audioExport.codec.rawValue, allowed: "AAC or MP3")
        }
    }
}

/// Encodes composited frames and mixed audio into the recording's files.
///
/// Video frames are placed by timestamp on the output frame grid (1/fps); a frame that lands
/// on a slot already written is dropped and counted. Audio is placed by timestamp too: gaps
/// become silence, overlaps are cut. Files are fragmented while writing, so a killed process
/// leaves playable files; `finish()` completes them (and moves the MP4 index to the front).
public final class RecordingWriter {
    public struct Statistics: Sendable, Equatable {
        public var videoFramesWritten = 0
        public var videoFramesDropped = 0
        public var audioSamplesWritten: Int64 = 0
        /// Samples cut because they overlapped audio already written.
        public var audioSamplesDropped: Int64 = 0
        /// Silence inserted for gaps between audio blocks.
        public var audioSilenceInserted: Int64 = 0
    }

    public let output: RecordingOutput
    public private(set) var statistics = Statistics()

    private let video: VideoEncoder
    private var audioEncoders: [(encoder: AudioEncoder, targets: [(muxer: Muxer, stream: Int)])] = []
    private let videoTargets: (muxer: Muxer, stream: Int)
    private var muxers: [(muxer: Muxer, container: Container)] = []
    private var lastFrameIndex: Int64 = -1
    private var nextAudioSample: Int64 = 0
    private var finished = false
    private var createdPaths: [String] = []

    public init(output: RecordingOutput) throws(MediaEncodeError) {
        try output.validate()
        self.output = output
        video = try VideoEncoder(settings: output.video)
        let mainAudio = try AudioEncoder(settings: output.mainAudio)

        do {
            let mainContainer: Container = output.video.codec == .h264 ? .mp4 : .webm
            let main = try RecordingWriter.openMuxer(path: output.path, container: mainContainer, created: &createdPaths)
            muxers.append((main, mainContainer))
            videoTargets = (main, try main.addStream(for: video.encoder))
            var audioPlan = [(encoder: mainAudio, targets: [(muxer: main, stream: try main.addStream(for: mainAudio.encoder))])]

            if let export = output.audioExport {
                let container: Container = export.codec == .mp3 ? .mp3 : .m4a
                let file = try RecordingWriter.openMuxer(path: export.path, container: container, created: &createdPaths)
                muxers.append((file, container))
                if export.codec == mainAudio.settings.codec {
                    // Same codec as the composite's audio: encode once, mux twice.
                    audioPlan[0].targets.append((file, try file.addStream(for: mainAudio.encoder)))
                } else {
                    let encoder = try AudioEncoder(settings: AudioEncoderSettings(
                        codec: export.codec, channels: output.audioChannels, bitrateKbps: output.audioBitrateKbps))
                    audioPlan.append((encoder, [(file, try file.addStream(for: encoder.encoder))]))
                }
            }
            audioEncoders = audioPlan
            for (muxer, container) in muxers { try muxer.writeHeader(options: container.crashSafeOptions) }
        } catch {
            // Nothing was recorded yet: leave no half-made file behind under the final name.
            muxers.removeAll()
            createdPaths.forEach { unlink($0) }
            throw error
        }
    }

    private static func openMuxer(path: String, container: Container, created: inout [String]) throws(MediaEncodeError) -> Muxer {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .unwritableOutput(path: path, reason: "cannot create folder \(directory)")
            }
        }
        let muxer = try Muxer(path: path, formatName: container.formatName)
        created.append(path)
        return muxer
    }

    /// Encodes `frame` at the output slot nearest its timestamp (on the recording's axis).
    public func write(video frame: VideoFrame) throws(MediaEncodeError) {
        guard !finished else { throw .finished }
        let index = frame.timestamp.rescaled(to: Int64(output.video.fps))
        guard index > lastFrameIndex, index >= 0 else {
            statistics.videoFramesDropped += 1
            return
        }
        guard frame.width == output.video.width, frame.height == output.video.height else {
            throw .invalidSetting(field: "video frame size", value: "\(frame.width)x\(frame.height)",
                                  allowed: "\(output.video.width)x\(output.video.height), the configured canvas")
        }
        lastFrameIndex = index
        try video.encode(frame, index: index, emit: writeVideoPacket)
        statistics.videoFramesWritten += 1
    }

    private func writeVideoPacket(_ packet: UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) {
        // libx264 leaves durations at 0; fragmented MP4 needs them to size the last sample.
        if packet.pointee.duration == 0 { packet.pointee.duration = 1 }
        try videoTargets.muxer.write(packet, stream: videoTargets.stream)
    }

    /// Encodes `block` at its timestamp: silence fills a gap before it; any part of it that
    /// overlaps audio already written is cut.
    public func write(audio block: AudioBlock) throws(MediaEncodeError) {
        guard !finished else { throw .finished }
        let start = block.timestamp.rescaled(to: Int64(AudioBlock.sampleRate))
        var samples = RecordingWriter.remix(block, to: output.audioChannels)
        let channels = output.audioChannels
        if start > nextAudioSample {
            try writeSilence(start - nextAudioSample)
        } else if start < nextAudioSample {
            let overlap = Int(min(nextAudioSample - start, Int64(samples.count / channels)))
            samples.removeFirst(overlap * channels)
            statistics.audioSamplesDropped += Int64(overlap)
        }
        try encodeAudio(samples[...])
    }

    private func writeSilence(_ frames: Int64) throws(MediaEncodeError) {
        let chunk = [Float](repeating: 0, count: 4800 * output.audioChannels)
        var remaining = frames
        while remaining > 0 {
            let count = Int(min(remaining, 4800))
            try encodeAudio(chunk[0..<(count * output.audioChannels)])
            remaining -= Int64(count)
        }
        statistics.audioSilenceInserted += frames
    }

    private func encodeAudio(_ samples: ArraySlice<Float>) throws(MediaEncodeError) {
        guard !samples.isEmpty else { return }
        for (encoder, targets) in audioEncoders {
            try encoder.encode(samples) { packet throws(MediaEncodeError) in
                for target in targets { try target.muxer.write(packet, stream: target.stream) }
            }
        }
        let frames = Int64(samples.count / output.audioChannels)
        nextAudioSample += frames
        statistics.audioSamplesWritten += frames
    }

    private static func remix(_ block: AudioBlock, to channels: Int) -> [Float] {
        if block.channels == channels { return block.samples }
        if channels == 2 { return block.samples.flatMap { [$0, $0] } }
        return (0..<block.frameCount).map { (block.samples[2 * $0] + block.samples[2 * $0 + 1]) / 2 }
    }

    /// Pads the audio to the video's length, drains the encoders, completes the files and, for
    /// MP4, moves the index to the front. Returns the paths written.
    @discardableResult
    public func finish() throws(MediaEncodeError) -> [String] {
        guard !finished else { throw .finished }
        finished = true
        let videoEnd = MediaTime(value: lastFrameIndex + 1, timescale: Int64(output.video.fps)).rescaled(to: Int64(AudioBlock.sampleRate))
        if videoEnd > nextAudioSample { try writeSilence(videoEnd - nextAudioSample) }
        try video.flush(emit: writeVideoPacket)
        for (encoder, targets) in audioEncoders {
            try encoder.flush { packet throws(MediaEncodeError) in
                for target in targets { try target.muxer.write(packet, stream: target.stream) }
            }
        }
        for (muxer, _) in muxers { try muxer.finish() }
        if output.faststart {
            for (muxer, container) in muxers where container.rewritesWithIndexInFront {
                try Faststart.rewrite(path: muxer.path, formatName: container.formatName)
            }
        }
        return muxers.map(\.muxer.path)
    }

    deinit {
        // An abandoned writer (an error upstream) still completes what it wrote: the trailer
        // makes the last fragment and the index readable.
        if !finished { for (muxer, _) in muxers { try? muxer.finish() } }
    }
}
