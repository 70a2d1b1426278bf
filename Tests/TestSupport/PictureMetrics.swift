import Foundation
import MediaTypes

/// Measures of picture and sound quality used by output checks.
public enum PictureMetrics {
    /// PSNR of the luma planes of two frames of the same size, in dB (infinity when identical).
    public static func lumaPSNR(_ a: VideoFrame, _ b: VideoFrame) -> Double {
        precondition(a.width == b.width && a.height == b.height, "PSNR needs frames of one size")
        var squaredError = 0.0
        for y in 0..<a.height {
            let rowA = a.pointer(.y) + y * a.stride(.y), rowB = b.pointer(.y) + y * b.stride(.y)
            for x in 0..<a.width {
                let difference = Double(Int(rowA[x]) - Int(rowB[x]))
                squaredError += difference * difference
            }
        }
        let mse = squaredError / Double(a.width * a.height)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// Mean of one plane over a rectangle.
    public static func mean(_ frame: VideoFrame, _ plane: VideoFrame.Plane, x: Int, y: Int, width: Int, height: Int) -> Double {
        var sum = 0
        for row in y..<(y + height) {
            for column in x..<(x + width) { sum += Int(frame[plane, column, row]) }
        }
        return Double(sum) / Double(width * height)
    }
}

public enum SoundMetrics {
    /// Root mean square of one channel of interleaved samples.
    public static func rms(_ samples: ArraySlice<Float>, channels: Int, channel: Int = 0) -> Double {
        var sum = 0.0, count = 0
        var index = samples.startIndex + channel
        while index < samples.endIndex {
            sum += Double(samples[index]) * Double(samples[index])
            count += 1
            index += channels
        }
        return count == 0 ? 0 : (sum / Double(count)).squareRoot()
    }

    /// Amplitude of the `frequency` component of one channel (Goertzel), comparable to a sine's peak.
    public static func toneAmplitude(_ samples: ArraySlice<Float>, channels: Int, channel: Int = 0, frequency: Double, sampleRate: Double = 48_000) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var previous = 0.0, beforePrevious = 0.0, count = 0
        var index = samples.startIndex + channel
        while index < samples.endIndex {
            let current = Double(samples[index]) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
            count += 1
            index += channels
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        return count == 0 ? 0 : 2 * power.squareRoot() / Double(count)
    }
}
