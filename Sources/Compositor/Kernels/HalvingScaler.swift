/// Exact 2:1 downscale of one plane: destination sample `(x, y)` is the mean of the source's
/// 2x2 block at `(2x, 2y)`, rounded half up: `(a + b + c + d + 2) >> 2`. This is the box
/// kernel's result for ratio 2 on both axes (the same values, faster).
///
/// The kernel loads 32 bytes of each of the two source rows as 16-bit words, adds each word's
/// two bytes (mask and shift: a horizontal pair), adds the rows, rounds, and packs the 16
/// results into bytes.
public enum HalvingScaler {
    public static func canScale(from source: PixelSize, to destination: PixelSize) -> Bool {
        destination.width > 0 && destination.height > 0
            && source.width == 2 * destination.width && source.height == 2 * destination.height
    }

    static func checkSizes(_ source: PlaneView, _ destination: PlaneView) {
        precondition(canScale(from: PixelSize(width: source.width, height: source.height),
                              to: PixelSize(width: destination.width, height: destination.height)),
                     "halving needs a source exactly twice the destination, got \(source.width)x\(source.height) -> \(destination.width)x\(destination.height)")
    }

    /// Scalar reference for `scale(_:into:)`.
    public static func scaleReference(_ source: PlaneView, into destination: PlaneView) {
        checkSizes(source, destination)
        for y in 0..<destination.height {
            for x in 0..<destination.width {
                let sum = Int(source[2 * x, 2 * y]) + Int(source[2 * x + 1, 2 * y])
                    + Int(source[2 * x, 2 * y + 1]) + Int(source[2 * x + 1, 2 * y + 1])
                destination.base[y * destination.stride + x] = UInt8((sum + 2) >> 2)
            }
        }
    }

    public static func scale(_ source: PlaneView, into destination: PlaneView) {
        checkSizes(source, destination)
        let width = destination.width
        for y in 0..<destination.height {
            source.prefetch(rows: 2 * (y + 2) ..< 2 * (y + 2) + 2)
            let top = source.row(2 * y), bottom = source.row(2 * y + 1), out = destination.row(y)
            var x = 0
            if width >= 16 {
                while x < width {
                    // The last step ends at the row's end, overlapping the previous one.
                    let offset = min(x, width - 16)
                    halve16(top + 2 * offset, bottom + 2 * offset, into: out + offset)
                    x += 16
                }
                continue
            }
            while x < width {
                let sum = Int(top[2 * x]) + Int(top[2 * x + 1]) + Int(bottom[2 * x]) + Int(bottom[2 * x + 1])
                out[x] = UInt8(truncatingIfNeeded: (sum + 2) >> 2)
                x += 1
            }
        }
    }

    /// 16 destination samples from 32 bytes of each source row.
    @inline(__always)
    static func halve16(_ top: UnsafeMutablePointer<UInt8>, _ bottom: UnsafeMutablePointer<UInt8>,
                        into out: UnsafeMutablePointer<UInt8>) {
        let lowByte = SIMD16<UInt16>(repeating: 0xFF)
        let a = UnsafeRawPointer(top).loadUnaligned(as: SIMD16<UInt16>.self)
        let b = UnsafeRawPointer(bottom).loadUnaligned(as: SIMD16<UInt16>.self)
        let sums = (a & lowByte) &+ (a &>> 8) &+ (b & lowByte) &+ (b &>> 8) &+ SIMD16<UInt16>(repeating: 2)
        UnsafeMutableRawPointer(out).storeBytes(of: packLowBytes(sums &>> 2), as: SIMD16<UInt8>.self)
    }

    /// The low byte of each word (every word is below 256 here).
    @inline(__always)
    static func packLowBytes(_ words: SIMD16<UInt16>) -> SIMD16<UInt8> {
        SIMD16<UInt8>(truncatingIfNeeded: words)
    }
}
