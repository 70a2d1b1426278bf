/// Copies a plane rectangle into another of the same size: a tile whose source already has
/// the tile's size needs no filtering (bilinear at ratio 1 samples every pixel with weight 0
/// on its neighbours, so the result is the same).
public enum PlaneCopy {
    /// One `memcpy` per row: the C library's copy already uses the widest loads and stores the CPU has.
    public static func copy(_ source: PlaneView, into destination: PlaneView) {
        precondition(source.width == destination.width && source.height == destination.height,
                     "copy needs equal sizes, got \(source.width)x\(source.height) -> \(destination.width)x\(destination.height)")
        for y in 0..<destination.height {
            source.prefetch(rows: y + 2 ..< y + 3)
            destination.row(y).update(from: source.row(y), count: destination.width)
        }
    }
}
