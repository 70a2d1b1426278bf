/// A size in pixels.
public struct PixelSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var isPortrait: Bool { width < height }

    public var description: String { "\(width)x\(height)" }
}

/// A rectangle in pixels, origin at the top left.
///
/// Layout rectangles on the canvas have even origins and sizes so the I420 chroma planes,
/// at half resolution, cover exactly the same area.
public struct PixelRect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public init(size: PixelSize) {
        self.init(x: 0, y: 0, width: size.width, height: size.height)
    }

    public var size: PixelSize { PixelSize(width: width, height: height) }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The same area on a plane subsampled by two in both directions (I420 chroma): an odd
    /// edge rounds outwards so the chroma area covers every luma pixel.
    public var halved: PixelRect {
        let left = x / 2, top = y / 2
        return PixelRect(x: left, y: top, width: (maxX + 1) / 2 - left, height: (maxY + 1) / 2 - top)
    }

    public var description: String { "(\(x),\(y) \(width)x\(height))" }
}

extension Int {
    /// The nearest even number at or below this one (for non-negative values).
    var roundedDownToEven: Int { self & ~1 }
}
