import MediaTypes

/// A picture with opacity drawn over the composite (a watermark): I420 colour plus an opacity
/// frame of the same geometry, each plane's opacity in the same plane (so chroma has its own,
/// at chroma resolution). Made once, from 8-bit RGBA with straight (not premultiplied)
/// opacity, at the size it is shown at; immutable afterwards.
public final class OverlayImage: Sendable {
    public let size: PixelSize
    let colour: VideoFrame
    let opacity: VideoFrame

    /// `rgba`: `width * height` pixels of 4 bytes (red, green, blue, opacity), rows packed.
    /// Shown at `size` (even); the picture's own size, rounded up to even, when nil.
    public init(rgba: [UInt8], width: Int, height: Int, size: PixelSize? = nil) {
        precondition(width > 0 && height > 0 && rgba.count == width * height * 4,
                     "RGBA picture of \(width)x\(height) needs \(width * height * 4) bytes, got \(rgba.count)")
        let size = size ?? PixelSize(width: (width + 1) & ~1, height: (height + 1) & ~1)
        precondition(size.width > 0 && size.height > 0 && size.width & 1 == 0 && size.height & 1 == 0,
                     "an overlay's size must be even and positive, got \(size)")
        self.size = size
        // The picture at its own size, one plane per component: Y, U, V (BT.601 limited range
        // like the canvas) and opacity.
        let count = width * height
        let planes = (0..<4).map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: count) }
        defer { planes.forEach { $0.deallocate() } }
        for index in 0..<count {
            let pixel = 4 * index
            let yuv = YUVColor(red: rgba[pixel], green: rgba[pixel + 1], blue: rgba[pixel + 2])
            (planes[0][index], planes[1][index], planes[2][index], planes[3][index]) = (yuv.y, yuv.u, yuv.v, rgba[pixel + 3])
        }
        func picture(_ component: Int) -> PlaneView { PlaneView(base: planes[component], stride: width, width: width, height: height) }
        colour = VideoFrame(width: size.width, height: size.height)
        opacity = VideoFrame(width: size.width, height: size.height)
        var scaler = PlaneScaler()
        for (component, plane) in zip(0..<3, VideoFrame.Plane.allCases) {
            scaler.scale(picture(component), into: PlaneView(colour, plane))
            scaler.scale(picture(3), into: PlaneView(opacity, plane))
        }
    }

    /// Blends the image onto `canvas` in `rect` (even origin and size, at most the image's
    /// size: a smaller rectangle shows the image's top-left part).
    func draw(onto canvas: VideoFrame, in rect: PixelRect) {
        let part = PixelRect(x: 0, y: 0, width: rect.width, height: rect.height)
        for plane in VideoFrame.Plane.allCases {
            AlphaBlend.blend(PlaneView(colour, plane, under: part), alpha: PlaneView(opacity, plane, under: part),
                             onto: PlaneView(canvas, plane, under: rect))
        }
    }
}

/// An overlay and where it goes on the canvas.
public struct PlacedOverlay: Sendable {
    public enum Corner: Sendable, Hashable, CaseIterable {
        case leftTop, rightTop, leftBottom, rightBottom
    }

    public let image: OverlayImage
    public let rect: PixelRect

    /// `image` in `corner` of a canvas of `canvasSize`, `margin` pixels (rounded down to even)
    /// from both edges, or closer where the canvas is too small for the margin. Nil when the
    /// image is larger than the canvas.
    public init?(_ image: OverlayImage, corner: Corner, canvasSize: PixelSize, margin: Int = 16) {
        let room = PixelSize(width: canvasSize.width - image.size.width, height: canvasSize.height - image.size.height)
        guard room.width >= 0, room.height >= 0 else { return nil }
        let marginX = min(margin, room.width / 2) & ~1, marginY = min(margin, room.height / 2) & ~1
        let x = corner == .leftTop || corner == .leftBottom ? marginX : room.width - marginX
        let y = corner == .leftTop || corner == .rightTop ? marginY : room.height - marginY
        self.image = image
        rect = PixelRect(x: x, y: y, width: image.size.width, height: image.size.height)
    }
}
