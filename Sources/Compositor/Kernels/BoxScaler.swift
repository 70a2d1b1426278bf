/// Area-averaging downscale of one plane, for ratios where bilinear's two taps would skip
/// source samples and alias.
///
/// Semantics (shared by the SIMD kernel and the scalar reference): destination sample
/// `(x, y)` is the mean of the source box with columns `x * sw / dw ..< (x + 1) * sw / dw` and
/// rows `y * sh / dh ..< (y + 1) * sh / dh` (integer division), rounded half up.
///
/// The kernel sums each box's rows in 16-bit lanes (even and odd columns apart, as loaded);
/// then, per destination sample (in scalar code: Swift SIMD has no gather), adds the column
/// sums of its box and divides by a multiply with an exact reciprocal.
public struct BoxScaler {
    private var sourceWidth = 0
    private var destinationWidth = 0
    /// Columns every box spans at least (the ratio's floor); some span one more.
    private var narrowWidth = 0
    /// Per destination column, `tapsPerColumn` indices into `columnSums`: the box's columns,
    /// a narrow box's extra tap pointing at the always-zero slot. A fixed tap count keeps the
    /// loop free of unpredictable branches.
    private var taps: [Int32] = []
    private var tapsPerColumn = 0
    /// Per destination column: 1 when its box is one column wider than `narrowWidth`.
    private var isWide: [UInt8] = []
    /// Per source column, the sum over the current box's rows: even columns in the first half,
    /// odd ones in the second (as the kernel loads them), then one zero slot.
    private var columnSums: [UInt16] = []
    private var oddBase = 0

    public init() {}

    /// Whether the kernel can scale between these sizes: a downscale on both axes, with box
    /// column sums that fit 16 bits (at most 257 rows) and box areas below 65536 (where the
    /// reciprocal division is exact).
    public static func canScale(from source: PixelSize, to destination: PixelSize) -> Bool {
        guard source.width >= destination.width, source.height >= destination.height,
              destination.width > 0, destination.height > 0 else { return false }
        let boxWidth = (source.width + destination.width - 1) / destination.width
        let boxHeight = (source.height + destination.height - 1) / destination.height
        return boxHeight <= 257 && boxWidth * boxHeight < 65536
    }

    @inline(__always)
    static func boundary(_ index: Int, sourceLength: Int, destinationLength: Int) -> Int {
        index * sourceLength / destinationLength
    }

    /// Scalar reference for `scale(_:into:)`.
    public static func scaleReference(_ source: PlaneView, into destination: PlaneView) {
        precondition(canScale(from: PixelSize(width: source.width, height: source.height),
                              to: PixelSize(width: destination.width, height: destination.height)),
                     "box scaling needs a downscale, got \(source.width)x\(source.height) -> \(destination.width)x\(destination.height)")
        for y in 0..<destination.height {
            let top = boundary(y, sourceLength: source.height, destinationLength: destination.height)
            let bottom = boundary(y + 1, sourceLength: source.height, destinationLength: destination.height)
            for x in 0..<destination.width {
                let left = boundary(x, sourceLength: source.width, destinationLength: destination.width)
                let right = boundary(x + 1, sourceLength: source.width, destinationLength: destination.width)
                var sum = 0
                for sy in top..<bottom {
                    for sx in left..<right { sum += Int(source[sx, sy]) }
                }
                let area = (right - left) * (bottom - top)
                destination.base[y * destination.stride + x] = UInt8((sum + area / 2) / area)
            }
        }
    }

    public mutating func scale(_ source: PlaneView, into destination: PlaneView) {
        precondition(BoxScaler.canScale(from: PixelSize(width: source.width, height: source.height),
                                        to: PixelSize(width: destination.width, height: destination.height)),
                     "box scaling needs a downscale, got \(source.width)x\(source.height) -> \(destination.width)x\(destination.height)")
        prepareColumns(sourceWidth: source.width, destinationWidth: destination.width)
        let narrowWidth = self.narrowWidth, tapsPerColumn = self.tapsPerColumn, oddBase = self.oddBase
        columnSums.withUnsafeMutableBufferPointer { sums in
            taps.withUnsafeBufferPointer { taps in
                isWide.withUnsafeBufferPointer { isWide in
                    for y in 0..<destination.height {
                        let top = BoxScaler.boundary(y, sourceLength: source.height, destinationLength: destination.height)
                        let bottom = BoxScaler.boundary(y + 1, sourceLength: source.height, destinationLength: destination.height)
                        if y + 2 < destination.height {
                            source.prefetch(rows: BoxScaler.boundary(y + 2, sourceLength: source.height, destinationLength: destination.height)
                                ..< BoxScaler.boundary(y + 3, sourceLength: source.height, destinationLength: destination.height))
                        }
                        BoxScaler.sumRows(source, rows: top..<bottom, even: sums.baseAddress!, odd: sums.baseAddress! + oddBase)
                        let rows = bottom - top
                        let narrowReciprocal = BoxScaler.reciprocal(of: narrowWidth * rows)
                        let wideReciprocal = BoxScaler.reciprocal(of: (narrowWidth + 1) * rows)
                        let row = BoxRow(sums: UnsafePointer(sums.baseAddress!), taps: taps.baseAddress!, isWide: isWide.baseAddress!,
                                         narrowWidth: narrowWidth, rows: rows, narrowReciprocal: narrowReciprocal,
                                         wideReciprocal: wideReciprocal)
                        // Constant tap counts for the common ratios let the compiler unroll the sum.
                        switch tapsPerColumn {
                        case 2: row.average(tapsPerColumn: 2, width: destination.width, into: destination.row(y))
                        case 3: row.average(tapsPerColumn: 3, width: destination.width, into: destination.row(y))
                        default: row.average(tapsPerColumn: tapsPerColumn, width: destination.width, into: destination.row(y))
                        }
                    }
                }
            }
        }
    }

    /// What the horizontal half of one destination row needs.
    private struct BoxRow {
        let sums: UnsafePointer<UInt16>
        let taps: UnsafePointer<Int32>
        let isWide: UnsafePointer<UInt8>
        let narrowWidth: Int
        let rows: Int
        let narrowReciprocal: UInt64
        let wideReciprocal: UInt64

        /// Adds each box's column sums and divides by its area.
        @inline(__always)
        func average(tapsPerColumn: Int, width: Int, into out: UnsafeMutablePointer<UInt8>) {
            for x in 0..<width {
                // Sums stay below 2^24 (see `canScale`): wrapping arithmetic never wraps.
                var sum = 0
                let first = x &* tapsPerColumn
                for tap in first..<(first &+ tapsPerColumn) { sum &+= Int(sums[Int(taps[tap])]) }
                let wide = isWide[x] != 0
                let area = (narrowWidth &+ (wide ? 1 : 0)) &* rows
                let reciprocal = wide ? wideReciprocal : narrowReciprocal
                out[x] = UInt8(truncatingIfNeeded: (UInt64(truncatingIfNeeded: sum &+ area &>> 1) &* reciprocal) &>> 40)
            }
        }
    }

    /// `ceil(2^40 / divisor)`: for numerators below `256 * divisor` and divisors below 2^16,
    /// `(n * reciprocal) >> 40` equals `n / divisor` exactly (the error term stays below 1).
    @inline(__always)
    static func reciprocal(of divisor: Int) -> UInt64 {
        ((1 << 40) + UInt64(divisor) - 1) / UInt64(divisor)
    }

    private mutating func prepareColumns(sourceWidth: Int, destinationWidth: Int) {
        guard sourceWidth != self.sourceWidth || destinationWidth != self.destinationWidth else { return }
        self.sourceWidth = sourceWidth
        self.destinationWidth = destinationWidth
        oddBase = (sourceWidth + 1) / 2
        let zeroSlot = 2 * oddBase
        if columnSums.count < zeroSlot + 1 {
            columnSums = [UInt16](repeating: 0, count: zeroSlot + 1)
        }
        columnSums[zeroSlot] = 0
        narrowWidth = sourceWidth / destinationWidth
        tapsPerColumn = narrowWidth + (sourceWidth % destinationWidth == 0 ? 0 : 1)
        taps.removeAll(keepingCapacity: true)
        isWide.removeAll(keepingCapacity: true)
        for x in 0..<destinationWidth {
            let left = BoxScaler.boundary(x, sourceLength: sourceWidth, destinationLength: destinationWidth)
            let right = BoxScaler.boundary(x + 1, sourceLength: sourceWidth, destinationLength: destinationWidth)
            for column in left..<(left + tapsPerColumn) {
                let slot = column >= right ? zeroSlot : (column & 1 == 0 ? column >> 1 : oddBase + column >> 1)
                taps.append(Int32(slot))
            }
            isWide.append(right - left > narrowWidth ? 1 : 0)
        }
    }

    /// Column sums over `rows`, 32 columns per step (16 even, 16 odd), then the remaining
    /// columns one by one.
    @inline(__always)
    static func sumRows(_ source: PlaneView, rows: Range<Int>, even: UnsafeMutablePointer<UInt16>, odd: UnsafeMutablePointer<UInt16>) {
        let lowByte = SIMD16<UInt16>(repeating: 0xFF)
        let evenRaw = UnsafeMutableRawPointer(even), oddRaw = UnsafeMutableRawPointer(odd)
        var x = 0
        while x + 32 <= source.width {
            var evenSum = SIMD16<UInt16>(), oddSum = SIMD16<UInt16>()
            for y in rows {
                let pairs = UnsafeRawPointer(source.row(y)).loadUnaligned(fromByteOffset: x, as: SIMD16<UInt16>.self)
                evenSum &+= pairs & lowByte
                oddSum &+= pairs &>> 8
            }
            evenRaw.storeBytes(of: evenSum, toByteOffset: x, as: SIMD16<UInt16>.self)
            oddRaw.storeBytes(of: oddSum, toByteOffset: x, as: SIMD16<UInt16>.self)
            x += 32
        }
        while x < source.width {
            var sum: UInt16 = 0
            for y in rows { sum &+= UInt16(source.row(y)[x]) }
            if x & 1 == 0 { even[x >> 1] = sum } else { odd[x >> 1] = sum }
            x += 1
        }
    }
}
