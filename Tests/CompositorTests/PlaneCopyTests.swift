import Testing
@testable import Compositor

@Suite struct PlaneCopyTests {
    @Test(arguments: [1, 2, 3, 15, 17, 33, 641])
    func copiesTheSourceExactly(width: Int) {
        for height in [1, 2, 7] {
            let source = TestPlane(width: width + 9, height: height + 2, stride: width + 41)
            source.randomize(seed: UInt64(width * 10 + height))
            let destination = TestPlane(width: width + 4, height: height + 3, stride: width + 23, fill: 0xA5)
            let sourceRect = PixelRect(x: 5, y: 1, width: width, height: height)
            let targetRect = PixelRect(x: 3, y: 2, width: width, height: height)
            PlaneCopy.copy(source.view(sourceRect), into: destination.view(targetRect))
            var expected = [UInt8](repeating: 0xA5, count: destination.stride * destination.rows)
            for y in 0..<height {
                for x in 0..<width {
                    expected[(y + 2) * destination.stride + x + 3] = source.whole[x + 5, y + 1]
                }
            }
            #expect(firstDifference(destination.bytes(), expected) == nil, "\(width)x\(height)")
        }
    }

    @Test func planeScalerCopiesEqualSizesAsBilinearWould() {
        var scaler = PlaneScaler()
        let result = scaleBoth(
            source: PixelSize(width: 640, height: 360), destination: PixelSize(width: 640, height: 360), seed: 3,
            simd: { scaler.scale($0, into: $1) }, reference: BilinearScaler.scaleReference)
        #expect(firstDifference(result.simd, result.reference) == nil)
    }
}
