import CFFmpeg
import FFmpegBridge
import MediaTypes

/// AAC, Opus or MP3 encoder fed with continuous 48 kHz float samples. It cuts the stream into
/// the codec's frame size; pts are sample counts (1/48000), so the encoder's priming delay shows
/// as negative pts that the muxers turn into edit lists / CodecDelay.
final class AudioEncoder {
    let settings: AudioEncoderSettings
    let encoder: EncoderContext
    private let frameSize: Int
    private let sampleFormat: AVSampleFormat
    /// Interleaved samples not yet encoded (less than one codec frame between calls).
    private var pending: [Float] = []
    private var nextPts: Int64 = 0

    init(settings: AudioEncoderSettings) throws(MediaEncodeError) {
        try settings.validate()
        self.settings = settings
        var chosenFormat = AV_SAMPLE_FMT_NONE
        encoder = try EncoderContext(encoderName: settings.codec.encoderName) { context throws(MediaEncodeError) in
            guard let format = AudioEncoder.preferredFormat(context.pointee.codec) else {
                throw .missingComponent("float or 16-bit input for \(settings.codec.encoderName)")
            }
            chosenFormat = format
            context.pointee.sample_fmt = format
            context.pointee.sample_rate = Int32(AudioBlock.sampleRate)
            context.pointee.time_base = AVRational(num: 1, den: Int32(AudioBlock.sampleRate))
            av_channel_layout_default(&context.pointee.ch_layout, Int32(settings.channels))
            context.pointee.bit_rate = Int64(settings.effectiveBitrateKbps) * 1000
        }
        sampleFormat = chosenFormat
        let codecFrameSize = Int(encoder.context.pointee.frame_size)
        frameSize = codecFrameSize > 0 ? codecFrameSize : 960
        pending.reserveCapacity(frameSize * settings.channels * 2)

        let frame = encoder.frame
        frame.pointee.format = sampleFormat.rawValue
        frame.pointee.sample_rate = Int32(AudioBlock.sampleRate)
        frame.pointee.nb_samples = Int32(frameSize)
        try check(av_channel_layout_copy(&frame.pointee.ch_layout, &encoder.context.pointee.ch_layout), "av_channel_layout_copy")
        try check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer", settings.codec.encoderName)
    }

    /// Sample formats this encoder can take from our float pipeline, best first.
    private static func preferredFormat(_ codec: UnsafePointer<AVCodec>?) -> AVSampleFormat? {
        guard var formats = codec?.pointee.sample_fmts else { return nil }
        var supported: [AVSampleFormat] = []
        while formats.pointee != AV_SAMPLE_FMT_NONE {
            supported.append(formats.pointee)
            formats += 1
        }
        return [AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S16P, AV_SAMPLE_FMT_S16].first(where: supported.contains)
    }

    /// Encodes interleaved `samples` (channel count as configured) following the previous ones.
    func encode(_ samples: ArraySlice<Float>, emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        pending.append(contentsOf: samples)
        let perFrame = frameSize * settings.channels
        var consumed = 0
        while pending.count - consumed >= perFrame {
            try sendFrame(pending[consumed..<(consumed + perFrame)], emit: emit)
            consumed += perFrame
        }
        pending.removeFirst(consumed)
    }

    /// Encodes what is pending (as a short last frame) and drains the encoder.
    func flush(emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        if !pending.isEmpty {
            let canShortenLast = encoder.context.pointee.codec.pointee.capabilities & Int32(AV_CODEC_CAP_SMALL_LAST_FRAME) != 0
            if !canShortenLast {
                pending.append(contentsOf: repeatElement(0, count: frameSize * settings.channels - pending.count))
            }
            try sendFrame(pending[...], emit: emit)
            pending.removeAll(keepingCapacity: true)
        }
        try encoder.send(nil, emit: emit)
    }

    private func sendFrame(_ samples: ArraySlice<Float>, emit: (UnsafeMutablePointer<AVPacket>) throws(MediaEncodeError) -> Void) throws(MediaEncodeError) {
        let frame = encoder.frame
        try check(av_frame_make_writable(frame), "av_frame_make_writable", encoder.name)
        let count = samples.count / settings.channels
        frame.pointee.nb_samples = Int32(count)
        frame.pointee.pts = nextPts
        nextPts += Int64(count)
        write(samples, into: frame)
        try encoder.send(frame, emit: emit)
    }

    private func write(_ samples: ArraySlice<Float>, into frame: UnsafeMutablePointer<AVFrame>) {
        let channels = settings.channels
        let count = samples.count / channels
        samples.withUnsafeBufferPointer { source in
            switch sampleFormat {
            case AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_S16P:
                for channel in 0..<channels {
                    let plane = UnsafeMutableRawPointer(tessera_frame_data(frame, Int32(channel)))!
                    for i in 0..<count { store(source[i * channels + channel], at: i, in: plane) }
                }
            default:
                let plane = UnsafeMutableRawPointer(tessera_frame_data(frame, 0))!
                for i in 0..<(count * channels) { store(source[i], at: i, in: plane) }
            }
        }
    }

    @inline(__always)
    private func store(_ sample: Float, at index: Int, in plane: UnsafeMutableRawPointer) {
        if sampleFormat == AV_SAMPLE_FMT_FLT || sampleFormat == AV_SAMPLE_FMT_FLTP {
            plane.storeBytes(of: sample, toByteOffset: index * 4, as: Float.self)
        } else {
            let clamped = max(-1, min(1, sample))
            plane.storeBytes(of: Int16((clamped * 32767).rounded()), toByteOffset: index * 2, as: Int16.self)
        }
    }
}
