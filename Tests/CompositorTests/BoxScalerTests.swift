import Testing
@testable import Compositor

@Suite struct BoxScalerTests {
    @Test(arguments: [1, 3, 15, 17, 33, 641])
    func simdMatchesReferenceExactly(destinationWidth: Int) {
        for sourceWidth in [destinationWidth, destinationWidth * 2, destinationWidth * 2 + 1, destinationWidth * 5 + 3] {
            for (sourceHeight, destinationHeight) in [(1, 1), (5, 1), (7, 3), (37, 11), (300, 2)] {
                var scaler = BoxScaler()
                let result = scaleBoth(
                    source: PixelSize(width: sourceWidth, height: sourceHeight),
                    destination: PixelSize(width: destinationWidth, height: destinationHeight),
                    seed: UInt64(sourceWidth * 100 + sourceHeight),
                    simd: { scaler.scale($0, into: $1) }, reference: BoxScaler.scaleReference)
                #expect(firstDifference(result.simd, result.reference) == nil,
                        "\(sourceWidth)x\(sourceHeight) -> \(destinationWidth)x\(destinationHeight)")
            }
        }
    }

    @Test func averagesKnownBoxes() {
        // 5 -> 2 columns: boxes of 2 and 3 columns; 2 rows -> 1.
        let source = TestPlane(width: 5, height: 2)
        let values: [UInt8] = [10, 20, 30, 40, 51,
                               11, 21, 31, 41, 50]
        for (index, value) in values.enumerated() { source.storage[index] = value }
        let destination = TestPlane(width: 2, height: 1)
        var scaler = BoxScaler()
        scaler.scale(source.whole, into: destination.whole)
        // (10 + 20 + 11 + 21) / 4 = 15.5 -> 16; (30 + 40 + 51 + 31 + 41 + 50) / 6 = 40.5 -> 41.
        #expect(destination.bytes() == [16, 41])
    }

    @Test func constantPlaneStaysConstantAtLargeRatios() {
        let source = TestPlane(width: 1920, height: 1080, fill: 255)
        let destination = TestPlane(width: 250, height: 140)
        var scaler = BoxScaler()
        scaler.scale(source.whole, into: destination.whole)
        #expect(destination.bytes().allSatisfy { $0 == 255 })
    }

    @Test func cornersMapToCorners() {
        let source = TestPlane(width: 640, height: 360)
        fillQuadrants(source, width: 640, height: 360)
        let destination = TestPlane(width: 250, height: 140)
        var scaler = BoxScaler()
        scaler.scale(source.whole, into: destination.whole)
        let out = destination.whole
        #expect([out[0, 0], out[249, 0], out[0, 139], out[249, 139]] == [10, 90, 170, 250])
    }

    @Test func planeScalerPicksTheKernelByRatio() {
        func kernel(_ sw: Int, _ sh: Int, _ dw: Int, _ dh: Int) -> PlaneScaler.Kernel {
            PlaneScaler.kernel(from: PixelSize(width: sw, height: sh), to: PixelSize(width: dw, height: dh))
        }
        #expect(kernel(640, 360, 426, 240) == .bilinear)
        #expect(kernel(640, 360, 320, 180) == .box)
        #expect(kernel(640, 360, 250, 140) == .box)
        #expect(kernel(640, 360, 1280, 720) == .bilinear)
        // Shrinks by 2 on one axis but grows on the other: bilinear.
        #expect(kernel(640, 360, 700, 100) == .bilinear)
        // Boxes too tall for 16-bit column sums.
        #expect(kernel(100, 1000, 10, 2) == .bilinear)
    }
}
