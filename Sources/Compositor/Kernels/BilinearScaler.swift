/// Bilinear scaling of one plane, up or down, with 8-bit fixed-point weights.
///
/// Semantics (shared by the SIMD kernel and the scalar reference): destination sample `i`
/// samples the source at the centre-aligned position `(i + 0.5) * source / destination - 0.5`,
/// in 16.16 fixed point, clamped to the edge samples; its fraction keeps the top 8 bits. Each
/// output is a vertical blend of two source rows, rounded to 8 bits, then a horizontal
/// blend of two of those columns, rounded again: `(a * (256 - f) + b * f + 128) >> 8`.
///
/// The kernel keeps every lane in 16 bits (bytes loaded as `UInt16` words and split into
/// even and odd samples with a mask and a shift), the fast form for Swift SIMD, and blends
/// with one multiply as `(a << 8) + (b - a) * f + 128`: in wrapping 16-bit arithmetic this
/// equals the two-multiply form modulo 2^16, and the true value is below 2^16, so the results
/// are identical (also for the weight 256 the last column uses). Each destination row is
/// the vertical blend of its two source rows into a row buffer (32 samples per step), then a
/// horizontal pass over that buffer (`BilinearColumns.swift`). The per-column and per-row
/// tables and the row buffer live in the scaler and are rebuilt only when the sizes change,
/// so scaling a new frame of the same tile allocates nothing.
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
    /// and the 8-bit weight of the next one.
    @inline(__always)
    static func samplePosition(_ index: Int, sourceLength: Int, destinationLength: Int) -> (index: Int, fraction: Int) {
        let centre = ((2 * index + 1) * sourceLength << 16) / (2 * destinationLength) - (1 << 15)
        let clamped = min(max(centre, 0), (sourceLength - 1) << 16)
        return (clamped >> 16, (clamped >> 8) & 0xFF)
    }

    @inline(__always)
    static func blend(_ a: Int, _ b: Int, fraction: Int) -> Int {
        (a * (256 - fraction) + b * fraction + 128) >> 8
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
                        var row = UnsafePointer(source.row(y0))
                        // A zero fraction is also what the clamp gives on the last row, so y0 + 1 exists here.
                        if fy != 0 {
                            BilinearScaler.blendRows(source.row(y0), source.row(y0 + 1), fraction: fy, width: source.width, into: blendedRow)
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

    /// `out[i] = blend(top[i], bottom[i])` for a whole row, 32 samples per step.
    @inline(__always)
    static func blendRows(_ top: UnsafeMutablePointer<UInt8>, _ bottom: UnsafeMutablePointer<UInt8>, fraction: Int,
                          width: Int, into out: UnsafeMutablePointer<UInt8>) {
        var x = 0
        if width >= 32 {
            let bottomWeight = SIMD16<UInt16>(repeating: UInt16(fraction))
            let lowByte = SIMD16<UInt16>(repeating: 0xFF)
            let highByte = SIMD16<UInt16>(repeating: 0xFF00)
            let rounding = SIMD16<UInt16>(repeating: 128)
            let topRaw = UnsafeRawPointer(top), bottomRaw = UnsafeRawPointer(bottom), outRaw = UnsafeMutableRawPointer(out)
            while x < width {
                // The last step ends at the row's end, overlapping the previous one.
                let offset = min(x, width - 32)
                let a = topRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt16>.self)
                let b = bottomRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt16>.self)
                // Each sum holds its result in the high byte.
                let even = (a &<< 8) &+ ((b & lowByte) &- (a & lowByte)) &* bottomWeight &+ rounding
                let odd = (a & highByte) &+ ((b &>> 8) &- (a &>> 8)) &* bottomWeight &+ rounding
                outRaw.storeBytes(of: (even &>> 8) | (odd & highByte), toByteOffset: offset, as: SIMD16<UInt16>.self)
                x += 32
            }
            return
        }
        while x < width {
            out[x] = UInt8(truncatingIfNeeded: blend(Int(top[x]), Int(bottom[x]), fraction: fraction))
            x += 1
        }
    }
}
