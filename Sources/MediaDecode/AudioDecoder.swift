import CFFmpeg
import FFmpegBridge
import MediaTypes

/// Turns one track's Opus packets into 48 kHz float `AudioBlock`s timed like the packets.
public final class AudioDecoder {
    public struct Statistics: Sendable, Equatable {
        public var packetsIn = 0
        public var blocksOut = 0
        public var decodeErrors = 0
    }

    public let track: TrackID
    public private(set) var statistics = Statistics()
    private let decoder: DecoderContext

    public init(track: TrackID, codec: Codec = .opus) throws(MediaDecodeError) {
        guard codec == .opus else { throw .unsupportedCodec(track: track, codec: codec) }
        self.track = track
        decoder = try DecoderContext(track: track, codec: codec) { context in
            // RFC 7587: Opus in RTP is always signalled as 48 kHz stereo; the decoder downmixes
            // or upmixes whatever each packet carries.
            context.pointee.sample_rate = Int32(AudioBlock.sampleRate)
            av_channel_layout_default(&context.pointee.ch_layout, 2)
            context.pointee.request_sample_fmt = AV_SAMPLE_FMT_FLT
            context.pointee.pkt_timebase = AVRational(num: 1, den: Int32(AudioBlock.sampleRate))
        }
    }

    /// Decodes `packet`; the samples (timed at the packet's timestamp) go to `receive`.
    /// Returns false when the packet could not be decoded (it is dropped and counted).
    @discardableResult
    public func decode(_ packet: EncodedFrame, receive: (AudioBlock) -> Void) -> Bool {
        statistics.packetsIn += 1
        let start = packet.timestamp.converted(to: Int64(AudioBlock.sampleRate))
        var offset: Int64 = 0
        let clean = decoder.decode(packet.data, pts: start.value) { frame in
            let block = AudioDecoder.block(from: frame, at: MediaTime(value: start.value + offset, timescale: start.timescale))
            offset += Int64(block.frameCount)
            statistics.blocksOut += 1
            receive(block)
        }
        if !clean { statistics.decodeErrors += 1 }
        return clean
    }

    static func block(from frame: UnsafeMutablePointer<AVFrame>, at time: MediaTime) -> AudioBlock {
        let channels = Int(frame.pointee.ch_layout.nb_channels)
        let count = Int(frame.pointee.nb_samples)
        let format = AVSampleFormat(rawValue: frame.pointee.format)
        var samples = [Float](repeating: 0, count: count * channels)
        if format == AV_SAMPLE_FMT_FLT {
            let source = UnsafeRawPointer(tessera_frame_data(frame, 0)!).assumingMemoryBound(to: Float.self)
            samples.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: count * channels) }
        } else {
            // FLTP: the native Opus decoder's own format when FLT was not granted.
            for channel in 0..<channels {
                let plane = UnsafeRawPointer(tessera_frame_data(frame, Int32(channel))!).assumingMemoryBound(to: Float.self)
                for i in 0..<count { samples[i * channels + channel] = plane[i] }
            }
        }
        return AudioBlock(channels: channels, timestamp: time, samples: samples)
    }
}
