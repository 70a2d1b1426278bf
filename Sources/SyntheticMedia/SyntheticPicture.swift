import Foundation
import MediaTypes

/// A deterministic, camera-like moving picture for tests, benchmarks and the demo recording:
/// a smooth background gradient in the participant's hue, a textured ellipse ("a head") that
/// drifts on a slow Lissajous path, a striped band ("a shirt") that slides sideways, and a
/// frame-counter bar along the bottom. Real encoders find it neither trivial (flat colour)
/// nor pathological (noise). Integer math only: frame n is the same on every machine.
public struct SyntheticPicture: Sendable {
    /// Selects the hue and the motion phase, so participants look different.
    public let participant: Int

    public init(participant: Int) {
        self.participant = participant
    }

    /// The participant's base colour in YUV (used for the background and for tile checks).
    public var baseColor: (y: UInt8, u: UInt8, v: UInt8) {
        let palette: [(UInt8, UInt8, UInt8)] = [
            (90, 160, 100), (110, 100, 170), (130, 80, 90), (70, 180, 130), (150, 110, 70),
            (100, 140, 160), (120, 170, 150), (80, 100, 110), (140, 90, 150),
        ]
        return palette[participant % palette.count]
    }

    /// Draws frame `index` of a `fps` stream into `frame` (any size, at least 16x16).
    public func render(frameIndex index: Int, fps: Int, into frame: VideoFrame) {
        let width = frame.width, height = frame.height
        let base = baseColor
        let phase = participant * 977
        // Head centre on a Lissajous path with periods of a few seconds.
        let t = (index * 1000 / max(fps, 1) + phase)  // milliseconds
        let cx = width / 2 + Int(Double(width / 5) * SyntheticPicture.sine(t, periodMs: 5300))
        let cy = height * 2 / 5 + Int(Double(height / 8) * SyntheticPicture.sine(t + 700, periodMs: 3700))
        let rx = max(width / 7, 4), ry = max(height / 4, 4)
        let shirtTop = height * 3 / 4
        let stripeShift = t / 40
        let counterRows = max(height / 30, 2)

        let luma = frame.pointer(.y), lumaStride = frame.stride(.y)
        for y in 0..<height {
            let row = luma + y * lumaStride
            let gradient = Int(base.y) - 30 + (y * 60) / height
            let dy = y - cy
            for x in 0..<width {
                var value = gradient + (x * 20) / width
                let dx = x - cx
                if dx * dx * ry * ry + dy * dy * rx * rx <= rx * rx * ry * ry {
                    // Skin-like texture: soft diagonal ripples that move with the head.
                    value = 150 + ((dx + dy) & 15) + ((dx ^ dy) & 7)
                } else if y >= shirtTop {
                    value = ((x + stripeShift) / 6) & 1 == 0 ? 60 : 110
                }
                row[x] = UInt8(truncatingIfNeeded: max(16, min(235, value)))
            }
        }
        // Counter bar: frame index in binary, one block per bit, bright for 1.
        let bits = 16, blockWidth = max(width / bits, 1)
        for y in (height - counterRows)..<height {
            let row = luma + y * lumaStride
            for x in 0..<width {
                let bit = min(x / blockWidth, bits - 1)
                row[x] = (index >> bit) & 1 == 1 ? 220 : 30
            }
        }

        let chromaWidth = frame.planeWidth(.u), chromaHeight = frame.planeHeight(.u)
        let u = frame.pointer(.u), v = frame.pointer(.v), chromaStride = frame.stride(.u)
        for y in 0..<chromaHeight {
            let dy = 2 * y - cy
            for x in 0..<chromaWidth {
                let dx = 2 * x - cx
                let inHead = dx * dx * ry * ry + dy * dy * rx * rx <= rx * rx * ry * ry
                u[y * chromaStride + x] = inHead ? 110 : base.u &+ UInt8(truncatingIfNeeded: (x * 16) / chromaWidth)
                v[y * chromaStride + x] = inHead ? 150 : base.v &- UInt8(truncatingIfNeeded: (y * 16) / chromaHeight)
            }
        }
    }

    /// sin(2 pi t / period), for motion paths.
    static func sine(_ t: Int, periodMs: Int) -> Double {
        sin(2 * Double.pi * Double(t % periodMs) / Double(periodMs))
    }
}
