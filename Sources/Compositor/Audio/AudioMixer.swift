import MediaTypes

/// Mixes every participant's audio onto the recording's time axis, 20 ms at a time.
///
/// Each participant has a buffer indexed by sample position on the axis (48 kHz): blocks land
/// where their timestamps say, gaps (DTX, loss, late join) stay silent, a block that arrives
/// after its time was mixed is cut to what is still ahead. The mix is the plain sum while it
/// fits; above the limiter's threshold a smoothed gain brings it down (fast attack, slow
/// release) and a soft knee catches what is left, so many loud voices never wrap or clip hard.
/// All buffers are allocated up front: mixing allocates nothing.
public final class AudioMixer {
    public struct Statistics: Sendable, Equatable {
        /// Samples (per channel) that arrived after their time had been mixed.
        public var lateSamplesDropped: Int64 = 0
        /// Samples (per channel) that arrived too far ahead of the mix to be buffered.
        public var overflowSamplesDropped: Int64 = 0
        /// Mix blocks in which the limiter reduced the gain.
        public var limitedBlocks = 0
    }

    public let channels: Int
    /// How far ahead of the mix position a participant's audio may be buffered.
    public let capacity: Int
    public private(set) var statistics = Statistics()
    /// Axis position (in samples) of the next sample `mix` produces.
    public private(set) var position: Int64

    private var buffers: [ParticipantID: ParticipantBuffer] = [:]
    private var limiter: SoftLimiter
    /// The mixed block; owned here so mixing allocates nothing.
    private let output: UnsafeMutableBufferPointer<Float>

    /// - Parameters:
    ///   - channels: 1 (mono) or 2 (stereo) output.
    ///   - blockSize: samples per channel of one `mix` call (960 = 20 ms).
    ///   - capacitySeconds: how much audio ahead of the mix each participant may buffer.
    public init(channels: Int, blockSize: Int = 960, capacitySeconds: Int = 2, start: Int64 = 0) {
        precondition(channels == 1 || channels == 2, "the mix is mono or stereo")
        self.channels = channels
        self.capacity = capacitySeconds * AudioBlock.sampleRate
        self.position = start
        self.limiter = SoftLimiter()
        self.output = .allocate(capacity: blockSize * channels)
        output.initialize(repeating: 0)
    }

    deinit { output.deallocate() }

    public var blockSize: Int { output.count / channels }

    /// Adds a participant (their buffer is allocated here, not while mixing).
    public func add(_ participant: ParticipantID) {
        if buffers[participant] == nil {
            buffers[participant] = ParticipantBuffer(capacity: capacity, channels: channels)
        }
    }

    /// Removes a participant; what they had buffered is discarded.
    public func remove(_ participant: ParticipantID) {
        buffers[participant] = nil
    }

    /// Places `block` (timestamp on the recording's axis) into the participant's buffer.
    public func push(_ block: AudioBlock, from participant: ParticipantID) {
        add(participant)
        let start = block.timestamp.rescaled(to: Int64(AudioBlock.sampleRate))
        let dropped = buffers[participant]!.write(block, at: start, mixPosition: position)
        statistics.lateSamplesDropped += dropped.late
        statistics.overflowSamplesDropped += dropped.overflow
    }

    /// Mixes the next `blockSize` samples and passes them (interleaved, timed at their axis
    /// position) to `body`. The buffer is only valid during the call.
    public func mix<Result, Failure: Error>(
        _ body: (_ samples: UnsafeBufferPointer<Float>, _ timestamp: MediaTime) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let frames = blockSize
        output.update(repeating: 0)
        for buffer in buffers.values {
            buffer.read(frames: frames, at: position, adding: output)
        }
        if limiter.process(output) { statistics.limitedBlocks += 1 }
        let timestamp = MediaTime(value: position, timescale: Int64(AudioBlock.sampleRate))
        position += Int64(frames)
        return try body(UnsafeBufferPointer(output), timestamp)
    }

    /// The next block as an `AudioBlock` (allocates the block's array; for callers that keep it).
    public func mixBlock() -> AudioBlock {
        mix { samples, timestamp in AudioBlock(channels: channels, timestamp: timestamp, samples: Array(samples)) }
    }
}

/// One participant's samples ahead of the mix, in a ring indexed by axis position. A class
/// over raw memory: the mixer reads every ring while iterating its table, and a value type
/// there would be copied (the whole ring) on each write.
final class ParticipantBuffer {
    private let ring: UnsafeMutableBufferPointer<Float>
    private let capacity: Int
    private let channels: Int
    /// Axis positions [readFrom, writtenUpTo) may hold audio; everything else is silence.
    private var writtenUpTo: Int64 = .min

    init(capacity: Int, channels: Int) {
        self.capacity = capacity
        self.channels = channels
        ring = .allocate(capacity: capacity * channels)
        ring.initialize(repeating: 0)
    }

    deinit { ring.deallocate() }

    /// Writes `block` at axis position `start`; returns how many samples were too late or too early.
    func write(_ block: AudioBlock, at start: Int64, mixPosition: Int64) -> (late: Int64, overflow: Int64) {
        let count = Int64(block.frameCount)
        let first = max(start, mixPosition)
        let last = min(start + count, mixPosition + Int64(capacity))
        let late = max(0, min(count, mixPosition - start))
        let overflow = max(0, (start + count) - max(last, first))
        guard first < last else { return (late, overflow) }
        block.samples.withUnsafeBufferPointer { samples in
            for position in first..<last {
                let slot = Int(position % Int64(capacity)) * channels
                let source = Int(position - start) * block.channels
                if channels == block.channels {
                    for channel in 0..<channels { ring[slot + channel] = samples[source + channel] }
                } else if channels == 2 {
                    ring[slot] = samples[source]
                    ring[slot + 1] = samples[source]
                } else {
                    ring[slot] = (samples[source] + samples[source + 1]) / 2
                }
            }
        }
        writtenUpTo = max(writtenUpTo, last)
        return (late, overflow)
    }

    /// Adds `frames` samples from axis position `start` into `mix` and clears them in the ring,
    /// so a gap that nothing writes later reads as silence.
    func read(frames: Int, at start: Int64, adding mix: UnsafeMutableBufferPointer<Float>) {
        guard writtenUpTo > start else { return }
        let available = Int(min(Int64(frames), writtenUpTo - start))
        for offset in 0..<available {
            let slot = Int((start + Int64(offset)) % Int64(capacity)) * channels
            for channel in 0..<channels {
                mix[offset * channels + channel] += ring[slot + channel]
                ring[slot + channel] = 0
            }
        }
    }
}

/// Keeps the mix inside full scale without audible hard clipping: a gain that drops at once
/// to bring a block's peak under the threshold and recovers over about half a second, then a
/// soft knee above the threshold for the start of a block, where the gain is still ramping.
struct SoftLimiter {
    static let threshold: Float = 0.89   // about -1 dBFS
    private var gain: Float = 1
    /// Per-block recovery factor towards unity gain (20 ms blocks, ~0.5 s to recover).
    private let release: Float = 0.04

    /// Limits `samples` in place; returns whether the gain was reduced.
    mutating func process(_ samples: UnsafeMutableBufferPointer<Float>) -> Bool {
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        let needed = peak > SoftLimiter.threshold ? SoftLimiter.threshold / peak : 1
        let previous = gain
        let target = min(needed, gain + (1 - gain) * release)
        gain = target
        guard gain < 1 || peak > SoftLimiter.threshold else { return false }
        // Ramp from the previous block's gain to this one's: no step in level at block edges.
        let count = samples.count
        for index in 0..<count {
            let ramped = previous + (gain - previous) * Float(index + 1) / Float(count)
            samples[index] = SoftLimiter.knee(samples[index] * ramped)
        }
        return gain < 1
    }

    /// Identity below the threshold, then a curve with the same slope at the knee that
    /// approaches, and never reaches, full scale.
    static func knee(_ x: Float) -> Float {
        let magnitude = abs(x)
        guard magnitude > threshold else { return x }
        let headroom = 1 - threshold
        let over = (magnitude - threshold) / headroom
        let shaped = threshold + headroom * over / (1 + over)
        return x < 0 ? -shaped : shaped
    }
}
