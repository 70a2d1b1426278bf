/// Fills a plane rectangle with one value.
public enum PlaneFill {
    /// One `memset` per row: the C library's fill already uses the widest stores the CPU has.
    public static func fill(_ plane: PlaneView, with value: UInt8) {
        for y in 0..<plane.height {
            plane.row(y).update(repeating: value, count: plane.width)
        }
    }

    /// Scalar reference for `fill`.
    public static func fillReference(_ plane: PlaneView, with value: UInt8) {
        for y in 0..<plane.height {
            for x in 0..<plane.width {
                plane.base[y * plane.stride + x] = value
            }
        }
    }
}
