#if SIMD_SSSE3
import _Builtin_intrinsics.intel
#endif

/// The horizontal pass of `BilinearScaler`: one destination row from one (vertically
/// blended) source row, 16 destination samples per block of a per-width column table.
///
/// Every destination sample blends a pair of adjacent source samples. A block's kind says
/// how its 16 pairs are fetched; all kinds fetch the same pairs and blend them the same way,
/// so the result does not depend on the kind:
/// - `adjacent` (ratios near 1:1): sample `i` of the block reads the pair at `base + i` or
///   `base + i + 1`, so three overlapping 16-byte loads and a per-sample select fetch all the
///   left and all the right samples.
/// - `threeToTwo` (ratios near 3:2): samples `2j` and `2j + 1` read the pairs at `base + 3j`
///   and `base + 3j + step` (step 1 or 2); four 16-byte loads hold them all as words, and
///   word shuffles pick them out.
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
    /// Offsets of the left samples of the 8 even and the 8 odd samples (gather).
    var evenOffsets = SIMD8<Int32>()
    var oddOffsets = SIMD8<Int32>()
    /// 0xFF where sample `i` reads the pair at `base + i + 1` instead of `base + i` (adjacent).
    var shifted = SIMD16<UInt8>()
    /// Weights of the 8 even and the 8 odd samples' pairs, as bytes `128 - f, f` (left, right):
    /// the layout of the pairs themselves.
    var evenWeights = SIMD16<UInt8>()
    var oddWeights = SIMD16<UInt8>()

    /// Bytes from `base` on that the regular kinds load: 2 + 16 (adjacent), 13 + 16 (three-to-two).
    static let adjacentReach = 18
    static let threeToTwoReach = 29

    /// The block of destination samples `start ..< start + 16`.
    init(start: Int, sourceWidth: Int, destinationWidth: Int) {
        var offsets = SIMD16<Int>(), weights = SIMD16<UInt8>()
        for lane in 0..<16 {
            (offsets[lane], weights[lane]) = ColumnBlock.tap(start + lane, sourceWidth: sourceWidth, destinationWidth: destinationWidth)
        }
        for lane in 0..<8 {
            evenOffsets[lane] = Int32(offsets[2 * lane])
            oddOffsets[lane] = Int32(offsets[2 * lane + 1])
            (evenWeights[2 * lane], evenWeights[2 * lane + 1]) = (128 - weights[2 * lane], weights[2 * lane])
            (oddWeights[2 * lane], oddWeights[2 * lane + 1]) = (128 - weights[2 * lane + 1], weights[2 * lane + 1])
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
            let result: SIMD8<UInt16>
            switch block.kind {
            case .adjacent:
                let pairs = adjacentPairs(source + block.base, block)
                result = blendPairs(even: pairs.even, odd: pairs.odd, block)
            case .threeToTwoStepOne:
                let pairs = threeToTwoPairs(source + block.base, step: 1)
                result = blendPairs(even: pairs.even, odd: pairs.odd, block)
            case .threeToTwoStepTwo:
                let pairs = threeToTwoPairs(source + block.base, step: 2)
                result = blendPairs(even: pairs.even, odd: pairs.odd, block)
            case .gather:
                result = blendPairs(even: gatherPairs(source, block.evenOffsets), odd: gatherPairs(source, block.oddOffsets), block)
            }
            outRaw.storeBytes(of: result, toByteOffset: min(blockIndex * 16, width - 16), as: SIMD8<UInt16>.self)
        }
    }

    /// 16 samples from 8 even and 8 odd pairs, each a word with the left sample in the low
    /// byte; the even results go to the low bytes of the output words.
    @inline(__always)
    static func blendPairs(even: SIMD8<UInt16>, odd: SIMD8<UInt16>, _ block: ColumnBlock) -> SIMD8<UInt16> {
        blendPairs(even, block.evenWeights) | (blendPairs(odd, block.oddWeights) &<< 8)
    }

#if SIMD_SSSE3
    /// The row the column pass reads holds each sample minus 128 (its top bit flipped): the
    /// signed operand of `pmaddubsw`. Flipping it while the row is written costs one `xor` per
    /// 16 samples; flipping the pairs here, the compiler pushes the `xor` back through the
    /// shuffles that build them and makes them much slower.
    static let columnSampleBias: UInt8 = 0x80

    /// `(left * (128 - f) + right * f + 64) >> 7` per pair, as words. `pmaddubsw` multiplies
    /// unsigned bytes (the weights, up to 128) by signed ones (the samples minus 128) and adds
    /// each pair: the sum is the blend minus 128 * 128, at most 16384 in size (no saturation),
    /// and adding 128 * 128 + 64 back rounds it.
    @inline(__always)
    static func blendPairs(_ pairs: SIMD8<UInt16>, _ weights: SIMD16<UInt8>) -> SIMD8<UInt16> {
        let sums = _mm_maddubs_epi16(unsafeBitCast(weights, to: __m128i.self), unsafeBitCast(pairs, to: __m128i.self))
        return (unsafeBitCast(sums, to: SIMD8<UInt16>.self) &+ SIMD8<UInt16>(repeating: 128 * 128 + 64)) &>> 7
    }
#else
    /// The column pass reads the samples as they are.
    static let columnSampleBias: UInt8 = 0

    /// `(left * (128 - f) + right * f + 64) >> 7` per pair, as words, with one multiply:
    /// `(left << 7) + (right - left) * f + 64` wraps in 16 bits, and its true value is below
    /// 2^15, so it is exact.
    @inline(__always)
    static func blendPairs(_ pairs: SIMD8<UInt16>, _ weights: SIMD16<UInt8>) -> SIMD8<UInt16> {
        let lowByte = SIMD8<UInt16>(repeating: 0xFF)
        let right = unsafeBitCast(weights, to: SIMD8<UInt16>.self) &>> 8
        let left = pairs & lowByte
        return ((left &<< 7) &+ ((pairs &>> 8) &- left) &* right &+ SIMD8<UInt16>(repeating: 64)) &>> 7
    }
#endif

    /// The pairs of an adjacent block: the left samples are the bytes at `base + i` or, where
    /// `shifted`, `base + i + 1`; the right samples the bytes one further.
    @inline(__always)
    static func adjacentPairs(_ start: UnsafeRawPointer, _ block: ColumnBlock) -> (even: SIMD8<UInt16>, odd: SIMD8<UInt16>) {
        let first = start.loadUnaligned(as: SIMD16<UInt8>.self)
        let second = start.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
        let third = start.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let shifted = block.shifted
        // Even samples in the low bytes of the words, odd ones in the high bytes.
        let left = unsafeBitCast((first & ~shifted) | (second & shifted), to: SIMD8<UInt16>.self)
        let right = unsafeBitCast((second & ~shifted) | (third & shifted), to: SIMD8<UInt16>.self)
        let lowByte = SIMD8<UInt16>(repeating: 0xFF), highByte = SIMD8<UInt16>(repeating: 0xFF00)
        return ((left & lowByte) | (right &<< 8), (left &>> 8) | (right & highByte))
    }

#if SIMD_SSSE3
    /// The pairs of a three-to-two block: the even ones at `3j`, the odd ones at `3j + step`,
    /// picked out of two 16-byte loads (at 0 and 12) with one byte shuffle each. For builds
    /// whose target CPU has a byte shuffle instruction (x86-64 from SSSE3 on; Package.swift
    /// builds the Compositor for x86-64-v2 and declares `SIMD_SSSE3`); on plain SSE2 this form
    /// compiles to one scalar operation per byte, several times slower than the word shuffles below.
    @inline(__always)
    static func threeToTwoPairs(_ start: UnsafeRawPointer, step: Int) -> (even: SIMD8<UInt16>, odd: SIMD8<UInt16>) {
        let first = start.loadUnaligned(as: SIMD16<UInt8>.self)
        let last = start.loadUnaligned(fromByteOffset: 12, as: SIMD16<UInt8>.self)
        /// The 8 pairs at `offset + 3j` (the last 4 from `last`, whose byte 0 is byte 12).
        @inline(__always)
        func pairs(_ offset: Int) -> SIMD8<UInt16> {
            let bytes = SIMD16<UInt8>(
                first[offset], first[offset + 1], first[offset + 3], first[offset + 4],
                first[offset + 6], first[offset + 7], first[offset + 9], first[offset + 10],
                last[offset], last[offset + 1], last[offset + 3], last[offset + 4],
                last[offset + 6], last[offset + 7], last[offset + 9], last[offset + 10])
            return unsafeBitCast(bytes, to: SIMD8<UInt16>.self)
        }
        return (pairs(0), pairs(step))
    }
#else
    /// The pairs of a three-to-two block: the even ones at `3j`, the odd ones at `3j + step`.
    /// A 16-byte load at an even offset holds the pairs at even offsets as its words, one at an
    /// odd offset those at odd offsets; four loads (at 0, 1, 12 and 13) hold all 16 pairs, and
    /// word shuffles (the vector unit has them; it has no byte shuffle) pick them out: pair 3j
    /// is word 3j/2 of `a` (j even) or word (3j - 1)/2 of `b` (j odd), and from j = 4 on the
    /// same words of `c` and `d`. Building each half from two loads lets the compiler use
    /// word shuffles for much of the work; one eight-word initialiser from all four loads
    /// compiles to a scalar load per word and is about 10% slower.
    @inline(__always)
    static func threeToTwoPairs(_ start: UnsafeRawPointer, step: Int) -> (even: SIMD8<UInt16>, odd: SIMD8<UInt16>) {
        let a = start.loadUnaligned(as: SIMD8<UInt16>.self)
        let b = start.loadUnaligned(fromByteOffset: 1, as: SIMD8<UInt16>.self)
        let c = start.loadUnaligned(fromByteOffset: 12, as: SIMD8<UInt16>.self)
        let d = start.loadUnaligned(fromByteOffset: 13, as: SIMD8<UInt16>.self)
        /// Words `first` and `first + 3` of `x` interleaved with words `second` and `second + 3` of `y`.
        @inline(__always)
        func fourPairs(_ x: SIMD8<UInt16>, _ first: Int, _ y: SIMD8<UInt16>, _ second: Int) -> SIMD4<UInt16> {
            SIMD4(x[first], y[second], x[first + 3], y[second + 3])
        }
        let even = SIMD8(lowHalf: fourPairs(a, 0, b, 1), highHalf: fourPairs(c, 0, d, 1))
        let odd = step == 1 ? SIMD8(lowHalf: fourPairs(b, 0, a, 2), highHalf: fourPairs(d, 0, c, 2))
                            : SIMD8(lowHalf: fourPairs(a, 1, b, 2), highHalf: fourPairs(c, 1, d, 2))
        return (even, odd)
    }
#endif

    /// Eight pairs of adjacent source samples, each as one word with the left sample in the low
    /// byte (little-endian, as on x86-64 and arm64; the even/odd split above assumes it too).
    /// Two words are joined in a general-purpose register before moving to the vector unit:
    /// inserting each word separately costs one vector shuffle per word, the bottleneck here.
    @inline(__always)
    static func gatherPairs(_ row: UnsafeRawPointer, _ offsets: SIMD8<Int32>) -> SIMD8<UInt16> {
        @inline(__always)
        func pair(_ lane: Int) -> UInt32 {
            UInt32(row.loadUnaligned(fromByteOffset: Int(offsets[lane]), as: UInt16.self))
        }
        let words = SIMD4<UInt32>(pair(0) | pair(1) << 16, pair(2) | pair(3) << 16,
                                  pair(4) | pair(5) << 16, pair(6) | pair(7) << 16)
        return unsafeBitCast(words, to: SIMD8<UInt16>.self)
    }
}
