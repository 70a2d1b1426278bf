import Testing
@testable import Compositor

@Suite struct BilinearScalerTests {
    static let widths = [1, 2, 3, 15, 17, 33, 641]

    static func simd() -> ScaleKernel {
        var scaler = BilinearScaler()
        return { scaler.scale($0, into: $1) }
    }

    @Test(arguments: widths, widths)
    func simdMatchesReferenceExactly(sourceWidth: Int, destinationWidth: Int) {
        // Heights cover one row, shrinking, growing and a non-integer ratio.
        for (sourceHeight, destinationHeight) in [(1, 1), (1, 5), (7, 3), (9, 14), (37, 23)] {
            let result = scaleBoth(
                source: PixelSize(width: sourceWidth, height: sourceHeight),
                destination: PixelSize(width: destinationWidth, height: destinationHeight),
                seed: UInt64(sourceWidth * 1000 + destinationWidth * 10 + sourceHeight),
                simd: Self.simd(), reference: BilinearScaler.scaleReference)
            #expect(firstDifference(result.simd, result.reference) == nil,
                    "\(sourceWidth)x\(sourceHeight) -> \(destinationWidth)x\(destinationHeight)")
        }
    }

    @Test func simdMatchesReferenceOnTileSizes() {
        var scaler = BilinearScaler()
        // One scaler reused over sizes, as a tile's is when the layout changes.
        for (source, destination) in [((640, 360), (426, 240)), ((640, 360), (1280, 720)), ((320, 180), (213, 121)),
                                      ((641, 361), (640, 360)), ((640, 360), (426, 240))] {
            let result = scaleBoth(
                source: PixelSize(width: source.0, height: source.1),
                destination: PixelSize(width: destination.0, height: destination.1),
                seed: UInt64(source.0 + destination.0),
                simd: { scaler.scale($0, into: $1) }, reference: BilinearScaler.scaleReference)
            #expect(firstDifference(result.simd, result.reference) == nil, "\(source) -> \(destination)")
        }
    }

    /// The fixed-point semantics (7-bit weights, two roundings) against bilinear interpolation
    /// in floating point at the same centre-aligned positions, rounded to 8 bits: within 2
    /// levels on random samples, the harshest input for coarse weights.
    @Test(arguments: [(640, 360, 426, 240), (320, 180, 213, 120), (640, 360, 624, 350), (640, 360, 960, 540), (37, 23, 100, 61)])
    func referenceStaysWithinTwoOfExactBilinear(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        let source = TestPlane(width: sourceWidth, height: sourceHeight)
        source.randomize(seed: UInt64(sourceWidth * 7 + width))
        let destination = TestPlane(width: width, height: height)
        BilinearScaler.scaleReference(source.whole, into: destination.whole)
        func position(_ index: Int, _ sourceLength: Int, _ length: Int) -> (Int, Int, Double) {
            let centre = min(max((Double(index) + 0.5) * Double(sourceLength) / Double(length) - 0.5, 0), Double(sourceLength - 1))
            let first = Int(centre)
            return (first, min(first + 1, sourceLength - 1), centre - Double(first))
        }
        var largest = 0.0
        for y in 0..<height {
            let (y0, y1, fy) = position(y, sourceHeight, height)
            for x in 0..<width {
                let (x0, x1, fx) = position(x, sourceWidth, width)
                func sample(_ x: Int, _ y: Int) -> Double { Double(source.whole[x, y]) }
                let top = sample(x0, y0) * (1 - fx) + sample(x1, y0) * fx
                let bottom = sample(x0, y1) * (1 - fx) + sample(x1, y1) * fx
                largest = max(largest, abs(Double(destination.whole[x, y]) - (top * (1 - fy) + bottom * fy).rounded()))
            }
        }
        #expect(largest <= 2, "largest difference \(largest)")
    }

    @Test func sameSizeCopiesTheSource() {
        let source = TestPlane(width: 40, height: 6, stride: 64)
        source.randomize(seed: 9)
        let destination = TestPlane(width: 40, height: 6)
        var scaler = BilinearScaler()
        scaler.scale(source.view(PixelRect(x: 0, y: 0, width: 40, height: 6)), into: destination.whole)
        for y in 0..<6 {
            for x in 0..<40 { #expect(destination.whole[x, y] == source.whole[x, y]) }
        }
    }

    @Test(arguments: [(640, 360, 426, 240), (17, 5, 100, 33), (100, 50, 17, 3)])
    func constantPlaneStaysConstant(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        let source = TestPlane(width: sourceWidth, height: sourceHeight, fill: 173)
        let destination = TestPlane(width: width, height: height)
        var scaler = BilinearScaler()
        scaler.scale(source.whole, into: destination.whole)
        #expect(destination.bytes().allSatisfy { $0 == 173 })
    }

    @Test(arguments: [(256, 200), (256, 600), (100, 37)])
    func horizontalRampStaysMonotonic(sourceWidth: Int, width: Int) {
        let source = TestPlane(width: sourceWidth, height: 4)
        for y in 0..<4 {
            for x in 0..<sourceWidth { source.storage[y * sourceWidth + x] = UInt8(x * 255 / (sourceWidth - 1)) }
        }
        let destination = TestPlane(width: width, height: 3)
        var scaler = BilinearScaler()
        scaler.scale(source.whole, into: destination.whole)
        for y in 0..<3 {
            for x in 1..<width { #expect(destination.whole[x - 1, y] <= destination.whole[x, y]) }
            // Centre alignment puts the outer samples at most half a destination step (here
            // under 1.5 source samples, under 4 levels) inside the ramp's ends.
            #expect(destination.whole[0, y] <= 4 && destination.whole[width - 1, y] >= 251)
        }
    }

    @Test(arguments: [(64, 36, 32, 18), (64, 36, 160, 90), (33, 17, 50, 30)])
    func cornersMapToCorners(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        let source = TestPlane(width: sourceWidth, height: sourceHeight)
        fillQuadrants(source, width: sourceWidth, height: sourceHeight)
        let destination = TestPlane(width: width, height: height)
        var scaler = BilinearScaler()
        scaler.scale(source.whole, into: destination.whole)
        let out = destination.whole
        #expect([out[0, 0], out[width - 1, 0], out[0, height - 1], out[width - 1, height - 1]] == [10, 90, 170, 250])
    }
}

/// Four flat quadrants: 10 top left, 90 top right, 170 bottom left, 250 bottom right.
func fillQuadrants(_ plane: TestPlane, width: Int, height: Int) {
    for y in 0..<height {
        for x in 0..<width {
            plane.storage[y * plane.stride + x] = UInt8(10 + (x >= width / 2 ? 80 : 0) + (y >= height / 2 ? 160 : 0))
        }
    }
}
