import Synchronization

/// One decoded or composited picture in I420 (8-bit Y, then U and V at half width and height).
///
/// Each plane starts on a 64-byte boundary and its stride is a multiple of 64 (so >= width):
/// SIMD kernels may load whole vectors at any row start. Frames come from a `VideoFramePool`;
/// when the last reference goes, the pixel buffer returns to its pool instead of being freed,
/// so steady-state pipelines allocate nothing per frame.
///
/// Ownership: the producer fills the planes before handing the frame on; after that every
/// holder only reads it. That rule is why the type can be `@unchecked Sendable`.
public final class VideoFrame: @unchecked Sendable {
    public enum Plane: Int, Sendable, CaseIterable { case y = 0, u = 1, v = 2 }

    public static let alignment = 64

    public let width: Int
    public let height: Int
    /// Presentation time on the producer's axis (the sender's media clock for decoded frames,
    /// the recording's axis for composited ones).
    public var timestamp: MediaTime

    let buffer: UnsafeMutableRawPointer
    let layout: VideoFrameLayout
    private let pool: VideoFramePool?

    init(layout: VideoFrameLayout, buffer: UnsafeMutableRawPointer, pool: VideoFramePool?, timestamp: MediaTime) {
        self.width = layout.width
        self.height = layout.height
        self.layout = layout
        self.buffer = buffer
        self.pool = pool
        self.timestamp = timestamp
    }

    /// A frame with its own buffer, outside any pool (tests, one-off images).
    public convenience init(width: Int, height: Int, timestamp: MediaTime = .zero) {
        let layout = VideoFrameLayout(width: width, height: height)
        self.init(layout: layout, buffer: layout.allocate(), pool: nil, timestamp: timestamp)
    }

    deinit {
        if let pool { pool.recycle(buffer) } else { buffer.deallocate() }
    }

    public func stride(_ plane: Plane) -> Int { plane == .y ? layout.lumaStride : layout.chromaStride }

    public func planeWidth(_ plane: Plane) -> Int { plane == .y ? width : layout.chromaWidth }

    public func planeHeight(_ plane: Plane) -> Int { plane == .y ? height : layout.chromaHeight }

    public func pointer(_ plane: Plane) -> UnsafeMutablePointer<UInt8> {
        (buffer + layout.offset(of: plane)).assumingMemoryBound(to: UInt8.self)
    }

    /// Fills every pixel of the frame with one colour.
    public func fill(y: UInt8, u: UInt8, v: UInt8) {
        for (plane, value) in [(Plane.y, y), (.u, u), (.v, v)] {
            pointer(plane).update(repeating: value, count: stride(plane) * planeHeight(plane))
        }
    }

    /// Reads one sample (slow; for tests and probes).
    public subscript(plane: Plane, x: Int, y: Int) -> UInt8 {
        get { pointer(plane)[y * stride(plane) + x] }
        set { pointer(plane)[y * stride(plane) + x] = newValue }
    }
}

/// Where the planes of a frame of one size lie in its buffer.
struct VideoFrameLayout: Sendable, Hashable {
    let width: Int
    let height: Int
    let lumaStride: Int
    let chromaStride: Int
    let chromaWidth: Int
    let chromaHeight: Int

    init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "VideoFrame needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
        chromaWidth = (width + 1) / 2
        chromaHeight = (height + 1) / 2
        lumaStride = VideoFrameLayout.aligned(width)
        chromaStride = VideoFrameLayout.aligned(chromaWidth)
    }

    static func aligned(_ n: Int) -> Int { (n + VideoFrame.alignment - 1) & ~(VideoFrame.alignment - 1) }

    var byteCount: Int { lumaStride * height + 2 * chromaStride * chromaHeight }

    func offset(of plane: VideoFrame.Plane) -> Int {
        switch plane {
        case .y: return 0
        case .u: return lumaStride * height
        case .v: return lumaStride * height + chromaStride * chromaHeight
        }
    }

    func allocate() -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: VideoFrame.alignment)
    }
}

/// Recycles the pixel buffers of frames of one size. Thread-safe: decoders take frames on their
/// own threads while the compositor releases them on another.
public final class VideoFramePool: Sendable {
    public let width: Int
    public let height: Int
    let layout: VideoFrameLayout
    private let capacity: Int
    private let state: Mutex<State>

    private struct State: @unchecked Sendable {  // raw pointers owned by the pool alone
        var free: [UnsafeMutableRawPointer] = []
        var allocated = 0
    }

    /// `capacity`: how many idle buffers the pool keeps; more are freed on release.
    public init(width: Int, height: Int, capacity: Int = 8) {
        self.width = width
        self.height = height
        self.layout = VideoFrameLayout(width: width, height: height)
        var state = State()
        state.free.reserveCapacity(capacity)
        self.state = Mutex(state)
        self.capacity = capacity
    }

    /// A frame whose pixels are whatever its last user left; the caller overwrites them.
    public func makeFrame(timestamp: MediaTime = .zero) -> VideoFrame {
        let reused = state.withLock { state -> UnsafeMutableRawPointer? in
            if let buffer = state.free.popLast() { return buffer }
            state.allocated += 1
            return nil
        }
        return VideoFrame(layout: layout, buffer: reused ?? layout.allocate(), pool: self, timestamp: timestamp)
    }

    /// Buffers this pool has allocated so far (for tests and the allocation benchmarks).
    public var allocatedBuffers: Int { state.withLock { $0.allocated } }

    func recycle(_ buffer: UnsafeMutableRawPointer) {
        let kept = state.withLock { state -> Bool in
            guard state.free.count < capacity else { state.allocated -= 1; return false }
            state.free.append(buffer)
            return true
        }
        if !kept { buffer.deallocate() }
    }

    deinit {
        state.withLock { state in state.free.forEach { $0.deallocate() } }
    }
}
