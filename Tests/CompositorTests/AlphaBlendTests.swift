import TestSupport
import Testing
@testable import Compositor

@Suite struct AlphaBlendTests {
    /// Every source, destination and opacity: the SIMD kernel equals the reference, whose
    /// rounding is `(sum + 127) / 255`. One plane per opacity: source = column, destination = row.
    @Test func everyCombinationMatchesTheReference() {
        let source = TestPlane(width: 256, height: 256), alpha = TestPlane(width: 256, height: 256)
        let simd = TestPlane(width: 256, height: 256), reference = TestPlane(width: 256, height: 256)
        for y in 0..<256 {
            for x in 0..<256 { source.storage[y * 256 + x] = UInt8(x) }
        }
        for opacity in 0...255 {
            for y in 0..<256 {
                for x in 0..<256 {
                    alpha.storage[y * 256 + x] = UInt8(opacity)
                    simd.storage[y * 256 + x] = UInt8(y)
                    reference.storage[y * 256 + x] = UInt8(y)
                }
            }
            AlphaBlend.blend(source.whole, alpha: alpha.whole, onto: simd.whole)
            AlphaBlend.blendReference(source.whole, alpha: alpha.whole, onto: reference.whole)
            #expect(simd.bytes() == reference.bytes(), "opacity \(opacity)")
        }
        // The reference's ends: transparent keeps the destination, opaque gives the source.
        #expect(AlphaBlend.blend(200, 0, over: 17) == 17 && AlphaBlend.blend(200, 255, over: 17) == 200)
        #expect(AlphaBlend.blend(255, 128, over: 0) == 128 && AlphaBlend.blend(100, 51, over: 200) == 180)
    }

    /// Odd widths (a tail shorter than a step, one step, none) and strides wider than the
    /// rows: the kernel equals the reference and writes nothing outside the rectangle.
    @Test(arguments: [1, 7, 15, 16, 17, 33, 100])
    func matchesReferenceOnOddSizesAndStaysInside(width: Int) {
        let rect = PixelRect(x: 3, y: 1, width: width, height: 5)
        let planes = (0..<4).map { _ in TestPlane(width: width + 8, height: 7, stride: width + 41) }
        for (index, plane) in planes.enumerated() { plane.randomize(seed: UInt64(width * 10 + min(index, 2))) }
        AlphaBlend.blend(planes[0].view(rect), alpha: planes[1].view(rect), onto: planes[2].view(rect))
        AlphaBlend.blendReference(planes[0].view(rect), alpha: planes[1].view(rect), onto: planes[3].view(rect))
        #expect(planes[2].bytes() == planes[3].bytes())
        let untouched = TestPlane(width: width + 8, height: 7, stride: width + 41)
        untouched.randomize(seed: UInt64(width * 10 + 2))
        for y in 0..<7 {
            for x in 0..<(width + 41) where !rect.contains(x: x, y: y) {
                #expect(planes[2].whole[x, y] == untouched.whole[x, y], "(\(x), \(y))")
            }
        }
    }
}
