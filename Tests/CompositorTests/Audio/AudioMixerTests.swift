import Foundation
import MediaTypes
import TestSupport
import Testing
@testable import Compositor

@Suite struct AudioMixerTests {
    /// A `frequency` Hz sine at `amplitude`, `count` samples from axis sample `start`.
    func tone(_ frequency: Double, amplitude: Float, start: Int64, count: Int, channels: Int = 1) -> AudioBlock {
        var samples: [Float] = []
        samples.reserveCapacity(count * channels)
        for n in 0..<count {
            let phase = 2 * Double.pi * frequency * Double(start + Int64(n)) / 48_000
            let value = amplitude * Float(sin(phase))
            for _ in 0..<channels { samples.append(value) }
        }
        return AudioBlock(channels: channels, timestamp: MediaTime(value: start, timescale: 48_000), samples: samples)
    }

    func mixSeconds(_ mixer: AudioMixer, _ seconds: Double) -> [Float] {
        var out: [Float] = []
        for _ in 0..<Int(seconds * 50) { mixer.mix { samples, _ in out += samples } }
        return out
    }

    @Test func oneQuietParticipantPassesThroughUnchanged() {
        let mixer = AudioMixer(channels: 1)
        let block = tone(500, amplitude: 0.25, start: 0, count: 48_000)
        mixer.push(block, from: ParticipantID("a"))
        var timestamps: [MediaTime] = []
        var out: [Float] = []
        for _ in 0..<50 { mixer.mix { samples, time in out += samples; timestamps.append(time) } }
        #expect(out == block.samples)
        #expect(timestamps[1] == MediaTime(value: 960, timescale: 48_000))
        #expect(mixer.statistics.limitedBlocks == 0)
    }

    @Test func participantsAreSummedAtTheirLevels() {
        let mixer = AudioMixer(channels: 2)
        mixer.push(tone(400, amplitude: 0.2, start: 0, count: 48_000, channels: 2), from: ParticipantID("a"))
        mixer.push(tone(700, amplitude: 0.3, start: 0, count: 48_000), from: ParticipantID("b"))  // mono into stereo
        let out = mixSeconds(mixer, 1)
        #expect(abs(SoundMetrics.toneAmplitude(out[...], channels: 2, frequency: 400) - 0.2) < 0.005)
        #expect(abs(SoundMetrics.toneAmplitude(out[...], channels: 2, frequency: 700) - 0.3) < 0.005)
        #expect(abs(SoundMetrics.toneAmplitude(out[...], channels: 2, channel: 1, frequency: 700) - 0.3) < 0.005)
    }

    @Test func gapsAreSilentAndLateAudioIsCut() {
        let mixer = AudioMixer(channels: 1)
        let a = ParticipantID("a")
        mixer.push(tone(500, amplitude: 0.25, start: 0, count: 24_000), from: a)
        mixer.push(tone(500, amplitude: 0.25, start: 48_000, count: 24_000), from: a)
        let first = mixSeconds(mixer, 0.6)   // mixes up to sample 28_800
        // 0.1 s of this block is already in the past: cut, the rest lands in place.
        mixer.push(tone(500, amplitude: 0.25, start: 24_000, count: 9_600), from: a)
        let rest = mixSeconds(mixer, 0.9)
        let out = first + rest
        #expect(mixer.statistics.lateSamplesDropped == 4_800)
        #expect(SoundMetrics.rms(out[24_000..<28_800], channels: 1) == 0)
        #expect(abs(SoundMetrics.rms(out[28_800..<33_600], channels: 1) - 0.25 / 2.squareRoot()) < 0.01)
        #expect(SoundMetrics.rms(out[33_600..<48_000], channels: 1) == 0)
        #expect(out[48_000..<72_000].elementsEqual(tone(500, amplitude: 0.25, start: 48_000, count: 24_000).samples))
    }

    @Test func audioTooFarAheadIsDroppedAndCounted() {
        let mixer = AudioMixer(channels: 1, capacitySeconds: 1)
        mixer.push(tone(500, amplitude: 0.25, start: 40_000, count: 16_000), from: ParticipantID("a"))
        #expect(mixer.statistics.overflowSamplesDropped == 8_000)
    }

    @Test func nineLoudParticipantsNeverClipOrWrap() {
        let mixer = AudioMixer(channels: 2)
        let frequencies = (0..<9).map { 400 + 100 * Double($0) }
        for (index, frequency) in frequencies.enumerated() {
            mixer.push(tone(frequency, amplitude: 0.8, start: 0, count: 96_000, channels: 2), from: ParticipantID("p\(index)"))
        }
        let out = mixSeconds(mixer, 2)
        #expect(out.allSatisfy { abs($0) < 1 })
        #expect(mixer.statistics.limitedBlocks > 0)
        // After the limiter settles, every voice is still there, all at the same level.
        let settled = out[(48_000 * 2)...]
        let levels = frequencies.map { SoundMetrics.toneAmplitude(settled, channels: 2, frequency: $0) }
        let mean = levels.reduce(0, +) / Double(levels.count)
        #expect(mean > 0.05)
        #expect(levels.allSatisfy { abs($0 - mean) / mean < 0.1 }, "levels \(levels)")
    }

    @Test func kneeIsContinuousMonotonicAndBounded() {
        var previous: Float = -2
        for step in 0...4000 {
            let x = -2 + Float(step) / 1000
            let y = SoftLimiter.knee(x)
            #expect(y >= previous)
            #expect(abs(y) < 1)
            previous = y
        }
        #expect(SoftLimiter.knee(0.5) == 0.5)
    }

    @Test func removedParticipantsAreSilent() {
        let mixer = AudioMixer(channels: 1)
        mixer.push(tone(500, amplitude: 0.25, start: 0, count: 48_000), from: ParticipantID("a"))
        _ = mixSeconds(mixer, 0.2)
        mixer.remove(ParticipantID("a"))
        #expect(SoundMetrics.rms(mixSeconds(mixer, 0.2)[...], channels: 1) == 0)
    }
}
