#if SIMD_SSSE3
import _Builtin_intrinsics.intel
#endif

/// The horizontal pass of `BilinearScaler`: one destination row from one (vertically
/// blended) source row, 16 destination samples per block of a per-width column table.
///
/// Every destination sample blends a pair of adjacent source samples. A block fetches its 16
/// pairs as two vectors of 8 pairs in output order (left sample, then right), in one of two
/// ways that give the same pairs:
/// - `shuffle` (every ratio up to about 2:1, so every tile of a grid): the 8 pairs of each
///   half lie within 16 source samples, so one 16-byte load and one byte shuffle, with lane
///   picks computed for the block, fetch them (`pshufb` on x86).
/// - `gather` (stronger downscales, and rows under 16 samples): 16 loads of one pair each,
///   from an offset table.
/// Per-sample loads are the gather's bottleneck; the shuffle costs the same for every ratio,
/// so no tile size is slow because it is not an exact ratio.
struct ColumnBlock {
    enum Kind {
        case shuffle, gather
    }

    var kind = Kind.gather
    /// Where each half's 16-byte load starts (shuffle).
    var firstBase = 0
    var secondBase = 0
    /// Per half, the byte of its load each pair byte comes from (shuffle).
    var firstPicks = SIMD16<UInt8>()
    var secondPicks = SIMD16<UInt8>()
    /// Offsets of the left samples of the 16 pairs (gather).
    var offsets = SIMD16<Int32>()
    /// Weights of samples 0-7 and 8-15, as bytes `128 - f, f` (left, right): the layout of
    /// the pairs themselves.
    var firstWeights = SIMD16<UInt8>()
    var secondWeights = SIMD16<UInt8>()

    /// The block of destination samples `start ..< start + 16`.
    init(start: Int, sourceWidth: Int, destinationWidth: Int) {
        var left = SIMD16<Int>()
        for lane in 0..<16 {
            let (offset, weight) = ColumnBlock.tap(start + lane, sourceWidth: sourceWidth, destinationWidth: destinationWidth)
            left[lane] = offset
            offsets[lane] = Int32(offset)
            if lane < 8 {
                (firstWeights[2 * lane], firstWeights[2 * lane + 1]) = (128 - weight, weight)
            } else {
                (secondWeights[2 * lane - 16], secondWeights[2 * lane - 15]) = (128 - weight, weight)
            }
        }
        // A load starts at the half's first left sample, or earlier where that would read past
        // the row's end; the half's last right sample must be within its 16 bytes.
        func base(_ half: Int) -> Int? {
            let base = min(left[8 * half], sourceWidth - 16)
            return left[8 * half + 7] + 1 - base < 16 ? base : nil
        }
        guard sourceWidth >= 16, let first = base(0), let second = base(1) else { return }
        kind = .shuffle
        (firstBase, secondBase) = (first, second)
        for lane in 0..<8 {
            (firstPicks[2 * lane], firstPicks[2 * lane + 1]) = (UInt8(left[lane] - first), UInt8(left[lane] - first + 1))
            (secondPicks[2 * lane], secondPicks[2 * lane + 1]) = (UInt8(left[8 + lane] - second), UInt8(left[8 + lane] - second + 1))
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
            case .shuffle:
                pairs = (shuffle(source.loadUnaligned(fromByteOffset: block.firstBase, as: SIMD16<UInt8>.self), block.firstPicks),
                         shuffle(source.loadUnaligned(fromByteOffset: block.secondBase, as: SIMD16<UInt8>.self), block.secondPicks))
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

    /// `bytes[picks[i]]` for each lane (`pshufb`).
    @inline(__always)
    static func shuffle(_ bytes: SIMD16<UInt8>, _ picks: SIMD16<UInt8>) -> SIMD16<UInt8> {
        unsafeBitCast(_mm_shuffle_epi8(unsafeBitCast(bytes, to: __m128i.self), unsafeBitCast(picks, to: __m128i.self)), to: SIMD16<UInt8>.self)
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

    /// `bytes[picks[i]]` for each lane (the compiler makes `tbl` of it on arm64).
    @inline(__always)
    static func shuffle(_ bytes: SIMD16<UInt8>, _ picks: SIMD16<UInt8>) -> SIMD16<UInt8> {
        bytes[picks]
    }
#endif

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
