#if SIMD_SSSE3
import _Builtin_intrinsics.intel
#endif

/// Bilinear scaling of one plane, up or down, with 7-bit fixed-point weights.
///
/// Semantics (shared by the SIMD kernel and the scalar reference): destination sample `i`
/// samples the source at the centre-aligned position `(i + 0.5) * source / destination - 0.5`,
/// in 16.16 fixed point, clamped to the edge samples, rounded to 1/128 of a sample. Each
/// output is a vertical blend of two source rows, rounded to 8 bits, then a horizontal blend
/// of two of those columns, rounded again: `(a * (128 - f) + b * f + 64) >> 7`. Seven bits
/// let x86's multiply-add of byte pairs (`pmaddubsw`) blend 8 outputs in one instruction;
/// the result stays within 2 of an exact bilinear interpolation.
///
/// Each destination row is the vertical blend of its two source rows into a row buffer (32
/// samples per step), then a horizontal pass over that buffer (`BilinearColumns.swift`).
/// Without SSSE3 every lane stays in 16 bits (bytes loaded as `UInt16` words and split into
/// even and odd samples with a mask and a shift), the fast form for Swift SIMD, and a blend is
/// one multiply, `(a << 7) + (b - a) * f + 64`: in wrapping 16-bit arithmetic this equals the
/// two-multiply form modulo 2^16, and the true value is below 2^15, so the results are
/// identical. The per-column and per-row tables and the row buffer live in the scaler and are
/// rebuilt only when the sizes change, so scaling a new frame of the same tile allocates
/// nothing.
public struct BilinearScaler {
    private var sourceWidth = 0
    private var destinationWidth = 0
    /// One block per 16 destination samples; the last one ends at the row's end and may
    /// overlap its predecessor (it writes the same values twice).
    private var columnBlocks: [ColumnBlock] = []
    private var sourceHeight = 0
    private var destinationHeight = 0
    /// Per destination row, the top source row and the bottom one's weight.
    private var rowTaps: [(index: Int, fraction: Int)] = []
    /// The vertical blend of the two source rows a destination row needs.
    private var blendedRow: [UInt8] = []

    public init() {}

    /// Where destination sample `index` samples the source: the left (or top) source sample
    /// and the 7-bit weight of the next one (the position rounded to 1/128 of a sample).
    @inline(__always)
    static func samplePosition(_ index: Int, sourceLength: Int, destinationLength: Int) -> (index: Int, fraction: Int) {
        let centre = ((2 * index + 1) * sourceLength << 16) / (2 * destinationLength) - (1 << 15)
        let clamped = min(max(centre, 0), (sourceLength - 1) << 16)
        let position = (clamped + (1 << 8)) >> 9
        return (position >> 7, position & 0x7F)
    }

    /// `fraction` (0...128) of the way from `a` to `b`, rounded.
    @inline(__always)
    static func blend(_ a: Int, _ b: Int, fraction: Int) -> Int {
        (a * (128 - fraction) + b * fraction + 64) >> 7
    }

    /// Scalar reference for `scale(_:into:)`.
    public static func scaleReference(_ source: PlaneView, into destination: PlaneView) {
        for y in 0..<destination.height {
            let (y0, fy) = samplePosition(y, sourceLength: source.height, destinationLength: destination.height)
            let y1 = min(y0 + 1, source.height - 1)
            for x in 0..<destination.width {
                let (x0, fx) = samplePosition(x, sourceLength: source.width, destinationLength: destination.width)
                let x1 = min(x0 + 1, source.width - 1)
                let left = blend(Int(source[x0, y0]), Int(source[x0, y1]), fraction: fy)
                let right = blend(Int(source[x1, y0]), Int(source[x1, y1]), fraction: fy)
                destination.base[y * destination.stride + x] = UInt8(blend(left, right, fraction: fx))
            }
        }
    }

    public mutating func scale(_ source: PlaneView, into destination: PlaneView) {
        // Rows narrower than one block, or a one-sample source with no right neighbour to
        // load, are too small to be worth vectors.
        guard destination.width >= 16, source.width >= 2 else {
            BilinearScaler.scaleReference(source, into: destination)
            return
        }
        prepareColumns(sourceWidth: source.width, destinationWidth: destination.width)
        prepareRows(sourceHeight: source.height, destinationHeight: destination.height)
        blendedRow.withUnsafeMutableBufferPointer { blendedBuffer in
            let blendedRow = blendedBuffer.baseAddress!
            columnBlocks.withUnsafeBufferPointer { blocks in
                rowTaps.withUnsafeBufferPointer { rowTaps in
                    for (y, (y0, fy)) in rowTaps.enumerated() {
                        if y + 2 < rowTaps.count { source.prefetch(rows: rowTaps[y + 2].index ..< rowTaps[y + 2].index + 2) }
                        var row = UnsafePointer(source.row(y0))
                        // A zero fraction is also what the clamp gives on the last row, so y0 + 1 exists
                        // where it is not zero. The column pass may want its samples biased: then a
                        // row that needs no blend is still copied.
                        if fy != 0 {
                            BilinearScaler.blendRows(source.row(y0), source.row(y0 + 1), fraction: fy, width: source.width, into: blendedRow)
                            row = UnsafePointer(blendedRow)
                        } else if BilinearScaler.columnSampleBias != 0 {
                            BilinearScaler.copyRow(source.row(y0), width: source.width, into: blendedRow)
                            row = UnsafePointer(blendedRow)
                        }
                        BilinearScaler.filterColumns(row, blocks: blocks, width: destination.width, into: destination.row(y))
                    }
                }
            }
        }
    }

    private mutating func prepareColumns(sourceWidth: Int, destinationWidth: Int) {
        if blendedRow.count < sourceWidth {
            blendedRow = [UInt8](repeating: 0, count: sourceWidth)
        }
        guard sourceWidth != self.sourceWidth || destinationWidth != self.destinationWidth else { return }
        self.sourceWidth = sourceWidth
        self.destinationWidth = destinationWidth
        columnBlocks.removeAll(keepingCapacity: true)
        for blockIndex in 0..<(destinationWidth + 15) / 16 {
            columnBlocks.append(ColumnBlock(start: min(blockIndex * 16, destinationWidth - 16),
                                            sourceWidth: sourceWidth, destinationWidth: destinationWidth))
        }
    }

    private mutating func prepareRows(sourceHeight: Int, destinationHeight: Int) {
        guard sourceHeight != self.sourceHeight || destinationHeight != self.destinationHeight else { return }
        self.sourceHeight = sourceHeight
        self.destinationHeight = destinationHeight
        rowTaps.removeAll(keepingCapacity: true)
        for y in 0..<destinationHeight {
            rowTaps.append(BilinearScaler.samplePosition(y, sourceLength: sourceHeight, destinationLength: destinationHeight))
        }
    }

    /// `out[i] = source[i] ^ columnSampleBias` for a whole row.
    @inline(__always)
    static func copyRow(_ source: UnsafeMutablePointer<UInt8>, width: Int, into out: UnsafeMutablePointer<UInt8>) {
        var x = 0
        if width >= 16 {
            let bias = SIMD16<UInt8>(repeating: columnSampleBias)
            while x < width {
                let offset = min(x, width - 16)
                let samples = UnsafeRawPointer(source).loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(out).storeBytes(of: samples ^ bias, toByteOffset: offset, as: SIMD16<UInt8>.self)
                x += 16
            }
            return
        }
        while x < width {
            out[x] = source[x] ^ columnSampleBias
            x += 1
        }
    }

    /// `out[i] = blend(top[i], bottom[i]) ^ columnSampleBias` for a whole row (`fraction`
    /// 1...127), 32 samples per step.
    @inline(__always)
    static func blendRows(_ top: UnsafeMutablePointer<UInt8>, _ bottom: UnsafeMutablePointer<UInt8>, fraction: Int,
                          width: Int, into out: UnsafeMutablePointer<UInt8>) {
        var x = 0
        if width >= 32 {
            let topRaw = UnsafeRawPointer(top), bottomRaw = UnsafeRawPointer(bottom), outRaw = UnsafeMutableRawPointer(out)
            while x < width {
                // The last step ends at the row's end, overlapping the previous one.
                let offset = min(x, width - 32)
                for half in stride(from: 0, to: 32, by: 16) {
                    let a = topRaw.loadUnaligned(fromByteOffset: offset + half, as: SIMD16<UInt8>.self)
                    let b = bottomRaw.loadUnaligned(fromByteOffset: offset + half, as: SIMD16<UInt8>.self)
                    outRaw.storeBytes(of: blendRowSamples(a, b, fraction: fraction), toByteOffset: offset + half, as: SIMD16<UInt8>.self)
                }
                x += 32
            }
            return
        }
        while x < width {
            out[x] = UInt8(truncatingIfNeeded: blend(Int(top[x]), Int(bottom[x]), fraction: fraction)) ^ columnSampleBias
            x += 1
        }
    }

#if SIMD_SSSE3
    /// 16 vertical blends: the samples of both rows interleaved into pairs, each pair
    /// multiplied by the weights `128 - f, f` and added (`pmaddubsw`: the samples are the
    /// unsigned side, the weights, below 128 here, the signed one; sums stay below 2^15),
    /// rounded, shifted and packed back to bytes.
    @inline(__always)
    static func blendRowSamples(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>, fraction: Int) -> SIMD16<UInt8> {
        let top = unsafeBitCast(a, to: __m128i.self), bottom = unsafeBitCast(b, to: __m128i.self)
        let weights = _mm_set1_epi16(Int16(truncatingIfNeeded: (128 - fraction) | fraction << 8))
        let rounding = _mm_set1_epi16(64)
        let low = _mm_srli_epi16(_mm_add_epi16(_mm_maddubs_epi16(_mm_unpacklo_epi8(top, bottom), weights), rounding), 7)
        let high = _mm_srli_epi16(_mm_add_epi16(_mm_maddubs_epi16(_mm_unpackhi_epi8(top, bottom), weights), rounding), 7)
        return unsafeBitCast(_mm_packus_epi16(low, high), to: SIMD16<UInt8>.self) ^ SIMD16<UInt8>(repeating: columnSampleBias)
    }
#else
    /// 16 vertical blends, in 16-bit lanes: even samples in the low bytes of the words, odd
    /// ones in the high bytes.
    @inline(__always)
    static func blendRowSamples(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>, fraction: Int) -> SIMD16<UInt8> {
        let top = unsafeBitCast(a, to: SIMD8<UInt16>.self), bottom = unsafeBitCast(b, to: SIMD8<UInt16>.self)
        let weight = SIMD8<UInt16>(repeating: UInt16(fraction)), lowByte = SIMD8<UInt16>(repeating: 0xFF)
        let rounding = SIMD8<UInt16>(repeating: 64)
        let topEven = top & lowByte, topOdd = top &>> 8
        let even = ((topEven &<< 7) &+ ((bottom & lowByte) &- topEven) &* weight &+ rounding) &>> 7
        let odd = ((topOdd &<< 7) &+ ((bottom &>> 8) &- topOdd) &* weight &+ rounding) &>> 7
        return unsafeBitCast(even | (odd &<< 8), to: SIMD16<UInt8>.self)
    }
#endif
}
