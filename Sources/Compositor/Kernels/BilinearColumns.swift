#if SIMD_SSSE3
import _Builtin_intrinsics.intel
#endif

/// The horizontal pass of `BilinearScaler`: one destination row from one (vertically
/// blended) source row, 16 destination samples per block of a per-width column table.
///
/// Every destination sample blends a pair of adjacent source samples. A block's kind says
/// how its 16 pairs are fetched, as two vectors of 8 pairs in output order (left sample, then
/// right); all kinds fetch the same pairs and blend them the same way, so the result does not
/// depend on the kind:
/// - `adjacent` (ratios near 1:1): sample `i` of the block reads the pair at `base + i` or
///   `base + i + 1`, so three overlapping 16-byte loads and a per-sample select fetch all the
///   left and all the right samples, and interleaving them makes the pairs.
/// - `threeToTwo` (ratios near 3:2): samples `2j` and `2j + 1` read the pairs at `base + 3j`
///   and `base + 3j + step` (step 1 or 2): one 16-byte load and one byte shuffle give the
///   pairs of 8 samples.
/// - `gather` (any ratio, and blocks where a ratio's pattern slips): 16 loads of one pair
///   each, from an offset table.
/// The regular kinds are what make the common tile ratios fast: per-sample loads are the
/// bottleneck of the gather.
struct ColumnBlock {
    enum Kind {
        case gather, adjacent, threeToTwoStepOne, threeToTwoStepTwo
    }

    var kind = Kind.gather
    /// The left sample of the block's first pair (regular kinds).
    var base = 0
    /// Offsets of the left samples of the 16 pairs (gather).
    var offsets = SIMD16<Int32>()
    /// 0xFF where sample `i` reads the pair at `base + i + 1` instead of `base + i` (adjacent).
    var shifted = SIMD16<UInt8>()
    /// Weights of samples 0-7 and 8-15, as bytes `128 - f, f` (left, right): the layout of
    /// the pairs themselves.
    var firstWeights = SIMD16<UInt8>()
    var secondWeights = SIMD16<UInt8>()

    /// Bytes from `base` on that the regular kinds load: 2 + 16 (adjacent), 12 + 16 (three-to-two).
    static let adjacentReach = 18
    static let threeToTwoReach = 28

    /// The block of destination samples `start ..< start + 16`.
    init(start: Int, sourceWidth: Int, destinationWidth: Int) {
        var offsets = SIMD16<Int>()
        for lane in 0..<16 {
            let (offset, weight) = ColumnBlock.tap(start + lane, sourceWidth: sourceWidth, destinationWidth: destinationWidth)
            offsets[lane] = offset
            self.offsets[lane] = Int32(offset)
            if lane < 8 {
                (firstWeights[2 * lane], firstWeights[2 * lane + 1]) = (128 - weight, weight)
            } else {
                (secondWeights[2 * lane - 16], secondWeights[2 * lane - 15]) = (128 - weight, weight)
            }
        }
        base = offsets[0]
        let lanes = SIMD16<Int>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let adjacentShifts = offsets &- base &- lanes
        // Sample 2j's pair at 3j, sample 2j + 1's `step` further.
        let threeToTwoShifts = offsets &- base &- (lanes / 2) &* 3
        let oddLanes = lanes & 1
        if base + ColumnBlock.adjacentReach <= sourceWidth,
           adjacentShifts.min() >= 0, adjacentShifts.max() <= 1 {
            kind = .adjacent
            for lane in 0..<16 { shifted[lane] = adjacentShifts[lane] == 1 ? 0xFF : 0 }
        } else if base + ColumnBlock.threeToTwoReach <= sourceWidth,
                  threeToTwoShifts == oddLanes {
            kind = .threeToTwoStepOne
        } else if base + ColumnBlock.threeToTwoReach <= sourceWidth,
                  threeToTwoShifts == oddLanes &* 2 {
            kind = .threeToTwoStepTwo
        }
    }

    /// The pair of source samples destination column `x` blends, as the offset of the left one
    /// and the 7-bit weight of the right one. The kernel always loads two adjacent bytes, so the
    /// last source column is expressed as its left neighbour's right neighbour, with weight 128.
    static func tap(_ x: Int, sourceWidth: Int, destinationWidth: Int) -> (Int, UInt8) {
        let (x0, fx) = BilinearScaler.samplePosition(x, sourceLength: sourceWidth, destinationLength: destinationWidth)
        if x0 == sourceWidth - 1 { return (x0 - 1, 128) }
        return (x0, UInt8(fx))
    }
}

extension BilinearScaler {
    /// One destination row from one (blended) source row.
    @inline(__always)
    static func filterColumns(_ row: UnsafePointer<UInt8>, blocks: UnsafeBufferPointer<ColumnBlock>, width: Int,
                              into out: UnsafeMutablePointer<UInt8>) {
        let source = UnsafeRawPointer(row), outRaw = UnsafeMutableRawPointer(out)
        for blockIndex in 0..<blocks.count {
            let block = blocks[blockIndex]
            let pairs: (first: SIMD16<UInt8>, second: SIMD16<UInt8>)
            switch block.kind {
            case .adjacent: pairs = adjacentPairs(source + block.base, block)
            case .threeToTwoStepOne: pairs = threeToTwoPairs(source + block.base, step: 1)
            case .threeToTwoStepTwo: pairs = threeToTwoPairs(source + block.base, step: 2)
            case .gather: pairs = gatherPairs(source, block.offsets)
            }
            let result = blendPairs(pairs.first, pairs.second, block)
            outRaw.storeBytes(of: result, toByteOffset: min(blockIndex * 16, width - 16), as: SIMD16<UInt8>.self)
        }
    }

#if SIMD_SSSE3
    /// The row the column pass reads holds each sample minus 128 (its top bit flipped): the
    /// signed operand of `pmaddubsw`. Flipping it while the row is written costs one `xor` per
    /// 16 samples; flipping the pairs here, the compiler pushes the `xor` back through the
    /// shuffles that build them and makes them much slower.
    static let columnSampleBias: UInt8 = 0x80

    /// `(left * (128 - f) + right * f + 64) >> 7` for 16 pairs, in output order. `pmaddubsw`
    /// multiplies unsigned bytes (the weights, up to 128) by signed ones (the samples minus
    /// 128) and adds each pair: the sum is the blend minus 128 * 128, at most 16384 in size (no
    /// saturation), and adding 128 * 128 + 64 back rounds it.
    @inline(__always)
    static func blendPairs(_ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ block: ColumnBlock) -> SIMD16<UInt8> {
        let rounding = _mm_set1_epi16(128 * 128 + 64)
        func blend(_ pairs: SIMD16<UInt8>, _ weights: SIMD16<UInt8>) -> __m128i {
            let sums = _mm_maddubs_epi16(unsafeBitCast(weights, to: __m128i.self), unsafeBitCast(pairs, to: __m128i.self))
            return _mm_srli_epi16(_mm_add_epi16(sums, rounding), 7)
        }
        return unsafeBitCast(_mm_packus_epi16(blend(first, block.firstWeights), blend(second, block.secondWeights)), to: SIMD16<UInt8>.self)
    }
#else
    /// The column pass reads the samples as they are.
    static let columnSampleBias: UInt8 = 0

    /// `(left * (128 - f) + right * f + 64) >> 7` for 16 pairs, in output order, in 16-bit
    /// lanes with one multiply: `(left << 7) + (right - left) * f + 64` wraps in 16 bits, and
    /// its true value is below 2^15, so it is exact.
    @inline(__always)
    static func blendPairs(_ first: SIMD16<UInt8>, _ second: SIMD16<UInt8>, _ block: ColumnBlock) -> SIMD16<UInt8> {
        func blend(_ pairs: SIMD16<UInt8>, _ weights: SIMD16<UInt8>) -> SIMD8<UInt8> {
            let words = unsafeBitCast(pairs, to: SIMD8<UInt16>.self)
            let right = unsafeBitCast(weights, to: SIMD8<UInt16>.self) &>> 8
            let left = words & SIMD8<UInt16>(repeating: 0xFF)
            let blended = ((left &<< 7) &+ ((words &>> 8) &- left) &* right &+ SIMD8<UInt16>(repeating: 64)) &>> 7
            return SIMD8<UInt8>(truncatingIfNeeded: blended)
        }
        return SIMD16<UInt8>(lowHalf: blend(first, block.firstWeights), highHalf: blend(second, block.secondWeights))
    }
#endif

    /// The pairs of an adjacent block: the left samples are the bytes at `base + i` or, where
    /// `shifted`, `base + i + 1`; the right samples the bytes one further.
    @inline(__always)
    static func adjacentPairs(_ start: UnsafeRawPointer, _ block: ColumnBlock) -> (first: SIMD16<UInt8>, second: SIMD16<UInt8>) {
        let first = start.loadUnaligned(as: SIMD16<UInt8>.self)
        let second = start.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
        let third = start.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let shifted = block.shifted
        let left = (first & ~shifted) | (second & shifted)
        let right = (second & ~shifted) | (third & shifted)
        return (interleave(left.lowHalf, right.lowHalf), interleave(left.highHalf, right.highHalf))
    }

    /// `a0, b0, a1, b1, ...`.
    @inline(__always)
    static func interleave(_ a: SIMD8<UInt8>, _ b: SIMD8<UInt8>) -> SIMD16<UInt8> {
        SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
    }

    /// The pairs of a three-to-two block: samples `2j` at `3j`, `2j + 1` at `3j + step`, for
    /// j = 0...3 from a load at 0 and j = 4...7 from a load at 12, one byte shuffle each (the
    /// compiler makes `pshufb` of these constant lane picks on x86, `tbl` on arm64).
    @inline(__always)
    static func threeToTwoPairs(_ start: UnsafeRawPointer, step: Int) -> (first: SIMD16<UInt8>, second: SIMD16<UInt8>) {
        @inline(__always)
        func pairs(_ bytes: SIMD16<UInt8>) -> SIMD16<UInt8> {
            SIMD16<UInt8>(
                bytes[0], bytes[1], bytes[step], bytes[step + 1], bytes[3], bytes[4], bytes[3 + step], bytes[4 + step],
                bytes[6], bytes[7], bytes[6 + step], bytes[7 + step], bytes[9], bytes[10], bytes[9 + step], bytes[10 + step])
        }
        return (pairs(start.loadUnaligned(as: SIMD16<UInt8>.self)), pairs(start.loadUnaligned(fromByteOffset: 12, as: SIMD16<UInt8>.self)))
    }

    /// Sixteen pairs of adjacent source samples, in output order. Two pairs are joined in a
    /// general-purpose register before moving to the vector unit: inserting each separately
    /// costs one vector shuffle per pair, the bottleneck here.
    @inline(__always)
    static func gatherPairs(_ row: UnsafeRawPointer, _ offsets: SIMD16<Int32>) -> (first: SIMD16<UInt8>, second: SIMD16<UInt8>) {
        @inline(__always)
        func pair(_ lane: Int) -> UInt32 {
            UInt32(row.loadUnaligned(fromByteOffset: Int(offsets[lane]), as: UInt16.self))
        }
        @inline(__always)
        func eight(_ from: Int) -> SIMD16<UInt8> {
            let words = SIMD4<UInt32>(pair(from) | pair(from + 1) << 16, pair(from + 2) | pair(from + 3) << 16,
                                      pair(from + 4) | pair(from + 5) << 16, pair(from + 6) | pair(from + 7) << 16)
            return unsafeBitCast(words, to: SIMD16<UInt8>.self)
        }
        return (eight(0), eight(8))
    }
}
