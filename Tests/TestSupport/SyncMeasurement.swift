import MediaTypes

/// Finds flashes in a picture area and beeps in a sound track, to measure lip sync the way a
/// person would check it: does the beep start when the picture flashes?
public enum SyncMeasurement {
    /// Whether a picture area is a flash: white (mean luma above 200, chroma near neutral; a
    /// yellow background is bright too) away from the strips the test pattern draws at its top
    /// and bottom.
    public static func isFlash(_ frame: VideoFrame, x: Int, y: Int, width: Int, height: Int) -> Bool {
        let (left, top, w, h) = (x + width / 8, y + height / 4, width * 3 / 4, height / 2)
        guard PictureMetrics.mean(frame, .y, x: left, y: top, width: w, height: h) > 200 else { return false }
        return abs(PictureMetrics.mean(frame, .u, x: left / 2, y: top / 2, width: w / 2, height: h / 2) - 128) < 12
    }

    /// Times (seconds) at which a sequence of (time, is a flash) samples turns bright.
    public static func flashOnsets(_ samples: [(time: Double, bright: Bool)]) -> [Double] {
        zip([false] + samples.map(\.bright), samples).filter { !$0.0 && $0.1.bright }.map(\.1.time)
    }

    /// Times (seconds from the first sample) where a `frequency` Hz beep of peak amplitude
    /// about `amplitude` starts: the first 5 ms window, stepped by 1 ms, whose component at
    /// that frequency exceeds half the amplitude after at least 50 ms below it. The level
    /// crosses half when half the window holds the beep, so the onset is the window's middle.
    public static func beepOnsets(_ samples: [Float], channels: Int, frequency: Double, amplitude: Double, startTime: Double = 0) -> [Double] {
        let window = 240, hop = 48
        var onsets: [Double] = []
        var quietWindows = 50  // allow an onset at the very start
        var index = 0
        while index + window * channels <= samples.count {
            let level = SoundMetrics.toneAmplitude(samples[index..<(index + window * channels)], channels: channels, frequency: frequency)
            if level > amplitude / 2 {
                if quietWindows >= 50 { onsets.append(startTime + Double(index / channels + window / 2) / 48_000) }
                quietWindows = 0
            } else {
                quietWindows += 1
            }
            index += hop * channels
        }
        return onsets
    }

    /// For each flash, the offset (seconds, beep minus flash) of the nearest beep within ±0.5 s.
    public static func offsets(flashes: [Double], beeps: [Double]) -> [Double?] {
        flashes.map { flash in
            beeps.min { abs($0 - flash) < abs($1 - flash) }.flatMap { abs($0 - flash) <= 0.5 ? $0 - flash : nil }
        }
    }
}
