import Compositor
import MediaTypes

/// The compositor's output drifted from the scalar reference kernels by more than allowed.
struct ReferenceMismatch: Error, CustomStringConvertible {
    let scene: String
    let deviation: Int
    var description: String { "\(scene): canvas differs from the scalar reference by \(deviation), more than ±\(ReferenceCheck.tolerance)" }
}

/// Compares every tile the compositor drew with the same tile drawn by the plain scalar
/// reference kernels (bilinear or area average, the kernel the compositor picks for the
/// ratio), sample by sample in all three planes.
enum ReferenceCheck {
    static let tolerance = 2

    /// The largest absolute difference; `canvas` shows the scene's sources at `tick` of a
    /// full redraw.
    static func maxDeviation(_ scene: GridScene, canvas: VideoFrame, tick: Int) -> Int {
        var deviation = 0
        scene.forEachTile(tick: tick) { source, crop, target in
            let reference = VideoFrame(width: target.width, height: target.height)
            for plane in VideoFrame.Plane.allCases {
                let isLuma = plane == .y
                let sourcePlane = PlaneView(source, plane).cropped(to: isLuma ? crop : crop.halved)
                let referencePlane = PlaneView(reference, plane)
                switch PlaneScaler.kernel(from: PixelSize(width: sourcePlane.width, height: sourcePlane.height),
                                          to: PixelSize(width: referencePlane.width, height: referencePlane.height)) {
                case .bilinear: BilinearScaler.scaleReference(sourcePlane, into: referencePlane)
                case .box: BoxScaler.scaleReference(sourcePlane, into: referencePlane)
                }
                let drawn = PlaneView(canvas, plane).cropped(to: isLuma ? target : target.halved)
                for y in 0..<drawn.height {
                    for x in 0..<drawn.width {
                        deviation = max(deviation, abs(Int(drawn[x, y]) - Int(referencePlane[x, y])))
                    }
                }
            }
        }
        return deviation
    }

    static func verify(_ scene: GridScene, canvas: VideoFrame, tick: Int) throws -> Int {
        let deviation = maxDeviation(scene, canvas: canvas, tick: tick)
        guard deviation <= tolerance else { throw ReferenceMismatch(scene: scene.description, deviation: deviation) }
        return deviation
    }
}
