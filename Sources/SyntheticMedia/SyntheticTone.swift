import Foundation
import MediaTypes

/// A deterministic 48 kHz sine tone. The phase comes from the absolute sample index, so blocks
/// rendered in any order join without clicks and a tone's level and pitch are known exactly.
public struct SyntheticTone: Sendable {
    /// Whole hertz, so the tone repeats every second and the phase can be reduced exactly.
    public var frequency: Int
    /// Peak amplitude, 0...1 of full scale.
    public var amplitude: Float

    public init(frequency: Int, amplitude: Float = 0.25) {
        self.frequency = frequency
        self.amplitude = amplitude
    }

    /// A distinct tone per participant: 400 Hz, 500 Hz, ... (as the test participants in
    /// scripts/testbed send), spaced so a spectrum tells them apart.
    public init(participant: Int, amplitude: Float = 0.25) {
        self.init(frequency: 400 + 100 * participant, amplitude: amplitude)
    }

    /// `count` samples per channel starting at sample `start` of the tone, as an `AudioBlock`
    /// timed at that sample.
    public func block(start: Int64, count: Int, channels: Int) -> AudioBlock {
        var samples = [Float](repeating: 0, count: count * channels)
        let rate = Double(AudioBlock.sampleRate)
        for i in 0..<count {
            // Whole-hertz tones repeat every second: reducing the index keeps the argument small
            // over long recordings without changing the value.
            let n = Double((start + Int64(i)) % Int64(AudioBlock.sampleRate))
            let value = amplitude * Float(sin(2 * Double.pi * Double(frequency) * n / rate))
            for channel in 0..<channels { samples[i * channels + channel] = value }
        }
        return AudioBlock(channels: channels, timestamp: MediaTime(value: start, timescale: Int64(AudioBlock.sampleRate)), samples: samples)
    }
}
