/// Blends a picture with per-sample opacity onto a plane: `out = (s * a + d * (255 - a)) / 255`,
/// rounded to nearest, for source `s`, opacity `a` (0 transparent, 255 opaque) and destination
/// `d`. Opacity 0 leaves the destination as it was and 255 gives the source exactly.
///
/// The SIMD kernel works 16 samples at a time in 16-bit lanes (even samples in the low bytes
/// of the words, odd ones in the high bytes, the fast form for Swift SIMD). The blend sum is at
/// most 255 * 255 and fits a lane; dividing it by 255 is `(t + (t >> 8)) >> 8` with
/// `t = sum + 128`, which equals `(sum + 127) / 255` for every sum up to 255 * 255. A row's
/// last samples that do not fill a step are blended one by one: the destination is read
/// back, so an overlapping last step would blend those samples twice.
public enum AlphaBlend {
    static func checkSizes(_ source: PlaneView, _ alpha: PlaneView, _ destination: PlaneView) {
        precondition(source.width == destination.width && source.height == destination.height
                     && alpha.width == destination.width && alpha.height == destination.height,
                     "blend needs equal sizes, got source \(source.width)x\(source.height), alpha \(alpha.width)x\(alpha.height), destination \(destination.width)x\(destination.height)")
    }

    /// `(s * a + d * (255 - a) + 127) / 255`.
    @inline(__always)
    static func blend(_ source: Int, _ alpha: Int, over destination: Int) -> UInt8 {
        UInt8((source * alpha + destination * (255 - alpha) + 127) / 255)
    }

    /// Scalar reference for `blend(_:alpha:onto:)`.
    public static func blendReference(_ source: PlaneView, alpha: PlaneView, onto destination: PlaneView) {
        checkSizes(source, alpha, destination)
        for y in 0..<destination.height {
            for x in 0..<destination.width {
                let out = destination.row(y) + x
                out.pointee = blend(Int(source[x, y]), Int(alpha[x, y]), over: Int(out.pointee))
            }
        }
    }

    public static func blend(_ source: PlaneView, alpha: PlaneView, onto destination: PlaneView) {
        checkSizes(source, alpha, destination)
        let width = destination.width, vectorWidth = width & ~15
        for y in 0..<destination.height {
            let sourceRow = UnsafeRawPointer(source.row(y)), alphaRow = UnsafeRawPointer(alpha.row(y))
            let out = destination.row(y), outRaw = UnsafeMutableRawPointer(out)
            var x = 0
            while x < vectorWidth {
                let blended = blend16(sourceRow.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt16>.self),
                                      alphaRow.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt16>.self),
                                      outRaw.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt16>.self))
                outRaw.storeBytes(of: blended, toByteOffset: x, as: SIMD8<UInt16>.self)
                x += 16
            }
            while x < width {
                out[x] = blend(Int(source.row(y)[x]), Int(alpha.row(y)[x]), over: Int(out[x]))
                x += 1
            }
        }
    }

    /// 16 blends, the samples packed two per word.
    @inline(__always)
    static func blend16(_ source: SIMD8<UInt16>, _ alpha: SIMD8<UInt16>, _ destination: SIMD8<UInt16>) -> SIMD8<UInt16> {
        let lowByte = SIMD8<UInt16>(repeating: 0xFF)
        @inline(__always)
        func blend(_ s: SIMD8<UInt16>, _ a: SIMD8<UInt16>, _ d: SIMD8<UInt16>) -> SIMD8<UInt16> {
            let t = s &* a &+ d &* (lowByte &- a) &+ SIMD8<UInt16>(repeating: 128)
            return (t &+ (t &>> 8)) &>> 8
        }
        let even = blend(source & lowByte, alpha & lowByte, destination & lowByte)
        let odd = blend(source &>> 8, alpha &>> 8, destination &>> 8)
        return even | (odd &<< 8)
    }
}
