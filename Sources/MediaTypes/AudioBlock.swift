/// A run of 48 kHz PCM samples of one track or of the mix, interleaved when stereo.
///
/// Samples are 32-bit float in -1...1 inside the pipeline; decoders and encoders that speak
/// 16-bit integers convert at the boundary with `init(s16:)` and `s16Samples()`.
public struct AudioBlock: Sendable {
    public static let sampleRate = 48_000

    public var channels: Int
    /// Time of the first sample on the producer's axis.
    public var timestamp: MediaTime
    public var samples: [Float]

    public init(channels: Int, timestamp: MediaTime, samples: [Float]) {
        precondition(channels == 1 || channels == 2, "AudioBlock is mono or stereo, got \(channels) channels")
        precondition(samples.count % channels == 0, "AudioBlock sample count must be a multiple of channels")
        self.channels = channels
        self.timestamp = timestamp
        self.samples = samples
    }

    public init(channels: Int, timestamp: MediaTime, s16: [Int16]) {
        self.init(channels: channels, timestamp: timestamp, samples: s16.map { Float($0) / 32768 })
    }

    /// Samples per channel.
    public var frameCount: Int { samples.count / channels }

    public var duration: MediaTime { MediaTime(value: Int64(frameCount), timescale: Int64(AudioBlock.sampleRate)) }

    /// The samples as 16-bit integers, clamped.
    public func s16Samples() -> [Int16] {
        samples.map { Int16(clamping: Int(($0 * 32768).rounded())) }
    }
}
