import Testing
@testable import Compositor

/// The horizontal pass's block kinds: which ratios get the regular (load-saving) kinds, and
/// that each kind produces the reference's samples, also on odd sizes, strides and where a
/// ratio's pattern slips.
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

    /// The tiles of a 3x3 grid into 1280x720 (ratio about 3:2) and into 1920x1080 with gaps
    /// (about 1.06:1), luma and chroma: almost every block is regular. The gather is left for
    /// the blocks too close to the row's end for the regular kinds' loads and where the ratio
    /// (not exactly 3:2) slips from one step to the other.
    @Test func tileRatiosUseTheRegularKinds() {
        #expect(Self.kindCounts(sourceWidth: 640, destinationWidth: 426)
                == [.threeToTwoStepOne: 12, .threeToTwoStepTwo: 12, .gather: 3])
        #expect(Self.kindCounts(sourceWidth: 320, destinationWidth: 213)
                == [.threeToTwoStepOne: 6, .threeToTwoStepTwo: 6, .gather: 2])
        #expect(Self.kindCounts(sourceWidth: 640, destinationWidth: 604) == [.adjacent: 37, .gather: 1])
        #expect(Self.kindCounts(sourceWidth: 320, destinationWidth: 302) == [.adjacent: 18, .gather: 1])
    }

    /// A linear ramp `2x` scaled by exactly 3:2 and 17:16, where every position is exact in
    /// 1/256: sample `i` is the ramp at `p = (i + 0.5) * ratio - 0.5`, rounded half up, which
    /// is `3i + 1` for 3:2. Rows are equal, so the vertical blend keeps them.
    @Test(arguments: [(96, 64, ColumnBlock.Kind.threeToTwoStepOne), (68, 64, ColumnBlock.Kind.adjacent)])
    func rampGivesKnownSamples(sourceWidth: Int, destinationWidth: Int, kind: ColumnBlock.Kind) {
        #expect(Self.kindCounts(sourceWidth: sourceWidth, destinationWidth: destinationWidth)[kind, default: 0] >= 2)
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

    /// Widths near 1:1 and near 3:2, odd and even, exact and slipping ratios, one-block and
    /// many-block rows, each with a regular kind in its table: the kernel equals the reference.
    @Test(arguments: [(19, 18), (19, 17), (33, 31), (301, 300), (641, 605), (1001, 947),
                      (48, 32), (49, 33), (99, 66), (97, 65), (641, 427), (1001, 667)])
    func regularKindsMatchReference(sourceWidth: Int, destinationWidth: Int) {
        let counts = Self.kindCounts(sourceWidth: sourceWidth, destinationWidth: destinationWidth)
        #expect(counts[.gather, default: 0] < counts.values.reduce(0, +), "\(counts)")
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
