import Testing
@testable import MediaTypes

@Suite struct MediaTimeTests {
    @Test func rescalesExactlyAndRoundsToNearest() {
        #expect(MediaTime(value: 1, timescale: 30).rescaled(to: 90_000) == 3_000)
        #expect(MediaTime(value: 1, timescale: 3).rescaled(to: 1_000) == 333)
        #expect(MediaTime(value: 2, timescale: 3).rescaled(to: 1_000) == 667)
        #expect(MediaTime(value: -2, timescale: 3).rescaled(to: 1_000) == -667)
        #expect(MediaTime(value: 1, timescale: 2).rescaled(to: 1) == 1)       // half rounds away from zero
        #expect(MediaTime(value: -1, timescale: 2).rescaled(to: 1) == -1)
        #expect(MediaTime(value: 5, timescale: 3).rescaled(to: 1, rounding: .down) == 1)
        #expect(MediaTime(value: -5, timescale: 3).rescaled(to: 1, rounding: .down) == -2)
        #expect(MediaTime(value: 4, timescale: 3).rescaled(to: 1, rounding: .up) == 2)
    }

    @Test func twentyFourHoursOfFramesAndSamplesDoNotDrift() {
        let frames: Int64 = 24 * 3600 * 30
        let lastFrame = MediaTime(value: frames, timescale: 30)
        #expect(lastFrame.rescaled(to: 48_000) == 24 * 3600 * 48_000)
        #expect(lastFrame.rescaled(to: 90_000) == 24 * 3600 * 90_000)
        // Summing 20 ms audio blocks for a day lands exactly on the day.
        var clock = MediaTime(value: 0, timescale: 48_000)
        let block = MediaTime(value: 960, timescale: 48_000)
        for _ in 0..<(24 * 3600 * 50) { clock = clock + block }
        #expect(clock == .seconds(24 * 3600))
    }

    @Test func comparesAcrossTimescales() {
        #expect(MediaTime(value: 1, timescale: 3) < MediaTime(value: 334, timescale: 1000))
        #expect(MediaTime(value: 1, timescale: 3) > MediaTime(value: 333, timescale: 1000))
        #expect(MediaTime(value: 3_000, timescale: 90_000) == MediaTime(value: 1, timescale: 30))
        #expect(Set([MediaTime(value: 1, timescale: 2), MediaTime(value: 500, timescale: 1000)]).count == 1)
        // Values whose cross products need more than 64 bits still compare correctly.
        let big = MediaTime(value: Int64.max / 2, timescale: 1_000_000_007)
        #expect(big < MediaTime(value: Int64.max / 2 + 1, timescale: 1_000_000_007))
    }

    @Test func arithmeticUsesACommonTimescale() {
        let sum = MediaTime(value: 1, timescale: 30) + MediaTime(value: 960, timescale: 48_000)
        #expect(sum == MediaTime(value: 53, timescale: 1_000) + MediaTime(value: 1, timescale: 3000))
        #expect((MediaTime.seconds(2) - .milliseconds(500)).rescaled(to: 1000) == 1500)
        #expect(MediaTime.milliseconds(-1500).description == "-1.500s")
    }

    @Test func arithmeticOnEpochNanosecondsAndRTPClocksDoesNotOverflow() {
        // A capture time in nanoseconds since 1970 minus a 90 kHz RTP time: their least common
        // timescale (9e9) would overflow, so the coarser 90 kHz is used.
        let arrival = MediaTime(value: 1_764_150_000_123_456_789, timescale: 1_000_000_000)
        let media = MediaTime(value: 3_000_000_000, timescale: 90_000)
        let offset = arrival - media
        #expect(offset.timescale == 90_000)
        #expect(offset.rescaled(to: 1000) == 1_764_150_000_123 - 33_333_333)
        #expect((offset + media).rescaled(to: 1000) == 1_764_150_000_123)
    }
}
