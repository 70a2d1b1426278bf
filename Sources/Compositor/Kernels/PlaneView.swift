import CPrefetch
import MediaTypes

/// A rectangle of one 8-bit image plane in memory: `height` rows of `width` samples, each row
/// `stride` bytes after the previous. The memory belongs to someone else (a `VideoFrame`);
/// a view is only valid while its owner is alive.
public struct PlaneView {
    public let base: UnsafeMutablePointer<UInt8>
    public let stride: Int
    public let width: Int
    public let height: Int

    public init(base: UnsafeMutablePointer<UInt8>, stride: Int, width: Int, height: Int) {
        precondition(width > 0 && height > 0 && stride >= width, "PlaneView needs width, height > 0 and stride >= width, got \(width)x\(height) stride \(stride)")
        self.base = base
        self.stride = stride
        self.width = width
        self.height = height
    }

    /// One plane of a frame, whole.
    public init(_ frame: VideoFrame, _ plane: VideoFrame.Plane) {
        self.init(base: frame.pointer(plane), stride: frame.stride(plane),
                  width: frame.planeWidth(plane), height: frame.planeHeight(plane))
    }

    /// The part of `plane` of `frame` under `rect`, a rectangle in luma samples with an even
    /// origin and size (halved for the chroma planes).
    public init(_ frame: VideoFrame, _ plane: VideoFrame.Plane, under rect: PixelRect) {
        self = PlaneView(frame, plane).cropped(to: plane == .y ? rect : rect.halved)
    }

    /// A rectangle inside this view: same stride, base moved to the rectangle's origin.
    public func cropped(to rect: PixelRect) -> PlaneView {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.maxX <= width && rect.maxY <= height,
                     "crop \(rect) lies outside the \(width)x\(height) plane")
        return PlaneView(base: base + rect.y * stride + rect.x, stride: stride, width: rect.width, height: rect.height)
    }

    @inline(__always)
    func row(_ y: Int) -> UnsafeMutablePointer<UInt8> { base + y * stride }

    /// Asks the CPU to start loading `rows` (those inside the plane) into its cache. A kernel
    /// calls it for the rows it will read two output rows later, so they arrive while it works:
    /// a tile's rows are a stride apart, and the hardware prefetcher meets each one cold.
    @inline(__always)
    func prefetch(rows: Range<Int>) {
        let lineSize = 64
        for y in rows.clamped(to: 0..<height) {
            let row = self.row(y)
            for x in Swift.stride(from: 0, to: width + lineSize - 1, by: lineSize) { tessera_prefetch(row + min(x, width - 1)) }
        }
    }

    /// Reads one sample (slow; for tests and probes).
    public subscript(x: Int, y: Int) -> UInt8 { base[y * stride + x] }
}
