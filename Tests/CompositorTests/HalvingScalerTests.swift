import Testing
@testable import Compositor

@Suite struct HalvingScalerTests {
    static let widths = [1, 2, 3, 15, 16, 17, 33, 641]

    @Test(arguments: widths)
    func simdMatchesReferenceExactly(destinationWidth: Int) {
        for destinationHeight in [1, 2, 3, 17] {
            let result = scaleBoth(
                source: PixelSize(width: 2 * destinationWidth, height: 2 * destinationHeight),
                destination: PixelSize(width: destinationWidth, height: destinationHeight),
                seed: UInt64(destinationWidth * 100 + destinationHeight),
                simd: HalvingScaler.scale, reference: HalvingScaler.scaleReference)
            #expect(firstDifference(result.simd, result.reference) == nil, "\(destinationWidth)x\(destinationHeight)")
        }
    }

    @Test(arguments: widths)
    func referenceMatchesTheBoxKernel(destinationWidth: Int) {
        let result = scaleBoth(
            source: PixelSize(width: 2 * destinationWidth, height: 6),
            destination: PixelSize(width: destinationWidth, height: 3),
            seed: UInt64(destinationWidth),
            simd: HalvingScaler.scaleReference, reference: BoxScaler.scaleReference)
        #expect(firstDifference(result.simd, result.reference) == nil, "\(destinationWidth)x3")
    }

    @Test func averagesKnownBlocks() {
        // Sums 10, 12 and 1020: 2.5 rounds up to 3, 3 stays 3, 255 stays 255.
        let source = TestPlane(width: 6, height: 2)
        let values: [UInt8] = [1, 2, 3, 3, 255, 255,
                               3, 4, 3, 3, 255, 255]
        for (index, value) in values.enumerated() { source.storage[index] = value }
        let destination = TestPlane(width: 3, height: 1)
        HalvingScaler.scale(source.whole, into: destination.whole)
        #expect(destination.bytes() == [3, 3, 255])
    }

    @Test func halvesTileSizesLikeTheBoxKernel() {
        // 640x360 -> 320x180 (4x4 into 720p, luma) and its chroma, through the plane scaler.
        for (width, height) in [(640, 360), (320, 180)] {
            var scaler = PlaneScaler()
            let result = scaleBoth(
                source: PixelSize(width: width, height: height),
                destination: PixelSize(width: width / 2, height: height / 2),
                seed: UInt64(width),
                simd: { scaler.scale($0, into: $1) }, reference: BoxScaler.scaleReference)
            #expect(firstDifference(result.simd, result.reference) == nil, "\(width)x\(height)")
        }
    }

    @Test func picksOnlyExactHalves() {
        func halves(_ sw: Int, _ sh: Int, _ dw: Int, _ dh: Int) -> Bool {
            HalvingScaler.canScale(from: PixelSize(width: sw, height: sh), to: PixelSize(width: dw, height: dh))
        }
        #expect(halves(640, 360, 320, 180))
        #expect(halves(2, 2, 1, 1))
        #expect(!halves(641, 360, 320, 180))
        #expect(!halves(640, 361, 320, 180))
        #expect(!halves(640, 360, 320, 360))
    }
}
