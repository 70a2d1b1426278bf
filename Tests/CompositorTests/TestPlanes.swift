import TestSupport
@testable import Compositor

/// A plane with its own memory, wider and taller than the area under test so writes outside
/// the area show up.
final class TestPlane {
    let stride: Int
    let rows: Int
    let storage: UnsafeMutablePointer<UInt8>

    init(width: Int, height: Int, stride: Int? = nil, fill: UInt8 = 0) {
        self.stride = stride ?? width
        self.rows = height
        storage = .allocate(capacity: self.stride * height)
        storage.initialize(repeating: fill, count: self.stride * height)
    }

    deinit { storage.deallocate() }

    var whole: PlaneView { PlaneView(base: storage, stride: stride, width: stride, height: rows) }

    func view(_ rect: PixelRect) -> PlaneView { whole.cropped(to: rect) }

    func randomize(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for index in 0..<stride * rows { storage[index] = UInt8.random(in: 0...255, using: &generator) }
    }

    func bytes() -> [UInt8] { Array(UnsafeBufferPointer(start: storage, count: stride * rows)) }
}

/// A kernel under test: the SIMD one or its reference.
typealias ScaleKernel = (PlaneView, PlaneView) -> Void

/// Scales a random source (stride wider than the plane) into a rectangle in the middle of a
/// larger destination with both kernels, and returns both destinations whole.
func scaleBoth(source: PixelSize, destination: PixelSize, seed: UInt64,
               simd: ScaleKernel, reference: ScaleKernel) -> (simd: [UInt8], reference: [UInt8]) {
    let sourcePlane = TestPlane(width: source.width + 3, height: source.height + 2, stride: source.width + 37)
    sourcePlane.randomize(seed: seed)
    let sourceView = sourcePlane.view(PixelRect(x: 3, y: 1, width: source.width, height: source.height))
    let target = PixelRect(x: 5, y: 3, width: destination.width, height: destination.height)
    func run(_ kernel: ScaleKernel) -> [UInt8] {
        let destinationPlane = TestPlane(width: destination.width + 11, height: destination.height + 7,
                                         stride: destination.width + 75, fill: 0xA5)
        kernel(sourceView, destinationPlane.view(target))
        return destinationPlane.bytes()
    }
    return (run(simd), run(reference))
}

/// The first index where two outputs differ, with both values; nil when they are equal.
/// (Reports one sample instead of dumping whole planes.)
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> (index: Int, simd: UInt8, reference: UInt8)? {
    guard a.count == b.count else { return (min(a.count, b.count), 0, 0) }
    return zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }.map { ($0.offset, $0.element.0, $0.element.1) }
}
