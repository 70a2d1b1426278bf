import Testing
@testable import Compositor

/// The horizontal pass's block kinds: which ratios get the shuffle, and that both kinds produce
/// the reference's samples, also on odd sizes, strides and inexact ratios.
@Suite struct BilinearColumnsTests {
    /// How many blocks of each kind the table for one row width pair has.
    static func kindCounts(sourceWidth: Int, destinationWidth: Int) -> [ColumnBlock.Kind: Int] {
        var counts: [ColumnBlock.Kind: Int] = [:]
        for blockIndex in 0..<(destinationWidth + 15) / 16 {
            let block = ColumnBlock(start: min(blockIndex * 16, destinationWidth - 16),
                                    sourceWidth: sourceWidth, destinationWidth: destinationWidth)
            counts[block.kind, default: 0] += 1
        }
        return counts
    }

    /// The tiles of grids of 640x360 sources, luma and chroma: 3x3 into 1280x720 (about 3:2),
    /// 4x4 into 1920x1080 (4:3), 3x3 into 1920x1080 with gaps (about 1.06:1), one source
    /// upscaled to 1280x720, and a ratio just under 2:1: every block is a shuffle. Beyond about
    /// 2:1 eight samples span more than 16 source samples, and the gather takes over.
    @Test func tileRatiosAllShuffle() {
        for (source, destination) in [(640, 426), (320, 213), (640, 480), (320, 240), (640, 604), (320, 302),
                                      (640, 1280), (320, 640), (640, 322), (320, 161)] {
            #expect(Self.kindCounts(sourceWidth: source, destinationWidth: destination) == [.shuffle: (destination + 15) / 16],
                    "\(source) -> \(destination)")
        }
        #expect(Self.kindCounts(sourceWidth: 640, destinationWidth: 280) == [.gather: 18])
        #expect(Self.kindCounts(sourceWidth: 15, destinationWidth: 16) == [.gather: 1])
    }

    /// A linear ramp `2x` scaled by exactly 3:2 and 17:16, where every position is exact in
    /// 1/256: sample `i` is the ramp at `p = (i + 0.5) * ratio - 0.5`, rounded half up, which
    /// is `3i + 1` for 3:2. Rows are equal, so the vertical blend keeps them.
    @Test(arguments: [(96, 64), (68, 64)])
    func rampGivesKnownSamples(sourceWidth: Int, destinationWidth: Int) {
        #expect(Self.kindCounts(sourceWidth: sourceWidth, destinationWidth: destinationWidth) == [.shuffle: 4])
        let source = TestPlane(width: sourceWidth, height: 5, stride: sourceWidth + 7)
        for y in 0..<5 {
            for x in 0..<sourceWidth { source.storage[y * source.stride + x] = UInt8(2 * x) }
        }
        let destination = TestPlane(width: destinationWidth, height: 3)
        var scaler = BilinearScaler()
        scaler.scale(source.view(PixelRect(x: 0, y: 0, width: sourceWidth, height: 5)), into: destination.whole)
        // p in 1/256: ((2i + 1) * sourceWidth * 256) / (2 * destinationWidth) - 128, exact here.
        let expected = (0..<destinationWidth).map { i in
            UInt8((2 * (((2 * i + 1) * sourceWidth * 256) / (2 * destinationWidth) - 128) + 128) >> 8)
        }
        if sourceWidth == 96 { #expect(expected == (0..<64).map { UInt8(3 * $0 + 1) }) }
        for y in 0..<3 {
            #expect((0..<destinationWidth).map { destination.whole[$0, y] } == expected, "row \(y)")
        }
    }

    /// Widths near 1:1, 3:2, 4:3 and 2:1, upscales, odd and even, exact and inexact ratios,
    /// one-block and many-block rows, rows under 16 samples and beyond 2:1 (gathers): the
    /// kernel equals the reference.
    @Test(arguments: [(19, 18), (19, 17), (33, 31), (301, 300), (641, 605), (1001, 947),
                      (48, 32), (49, 33), (99, 66), (97, 65), (641, 427), (1001, 667),
                      (641, 481), (97, 73), (63, 32), (641, 323), (17, 40), (321, 641), (15, 16), (641, 281)])
    func bothKindsMatchReference(sourceWidth: Int, destinationWidth: Int) {
        for (sourceHeight, destinationHeight) in [(1, 1), (7, 5), (36, 24), (23, 22)] {
            let result = scaleBoth(
                source: PixelSize(width: sourceWidth, height: sourceHeight),
                destination: PixelSize(width: destinationWidth, height: destinationHeight),
                seed: UInt64(sourceWidth * 7919 + destinationWidth * 31 + sourceHeight),
                simd: BilinearScalerTests.simd(), reference: BilinearScaler.scaleReference)
            #expect(firstDifference(result.simd, result.reference) == nil,
                    "\(sourceWidth)x\(sourceHeight) -> \(destinationWidth)x\(destinationHeight)")
        }
    }
}
