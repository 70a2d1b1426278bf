import MediaTypes

/// Scales a rectangle of an I420 frame into a rectangle of another (a tile of the canvas),
/// all three planes, writing straight into the destination's memory.
public struct TileScaler {
    private var luma = PlaneScaler()
    /// U and V share a geometry, hence a scaler (and its tables).
    private var chroma = PlaneScaler()

    public init() {}

    /// `crop` is in the source's luma samples; `target` in the canvas's, with even origin and
    /// size so its chroma rectangle is exactly half.
    public mutating func scale(_ source: VideoFrame, crop: PixelRect, into canvas: VideoFrame, at target: PixelRect) {
        precondition(target.x & 1 == 0 && target.y & 1 == 0 && target.width & 1 == 0 && target.height & 1 == 0,
                     "tile rectangle \(target) must have an even origin and size")
        luma.scale(PlaneView(source, .y).cropped(to: crop), into: PlaneView(canvas, .y).cropped(to: target))
        let sourceChroma = crop.halved, targetChroma = target.halved
        chroma.scale(PlaneView(source, .u).cropped(to: sourceChroma), into: PlaneView(canvas, .u).cropped(to: targetChroma))
        chroma.scale(PlaneView(source, .v).cropped(to: sourceChroma), into: PlaneView(canvas, .v).cropped(to: targetChroma))
    }
}
