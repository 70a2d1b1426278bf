import CLibYUV
import Compositor
import MediaTypes

/// The libyuv baseline: `I420Scale` (bilinear) from a source rectangle straight into the
/// tile's rectangle of the canvas planes, as a compositor built on libyuv would draw a tile.
enum LibYUVTileScaler {
    static func scale(_ source: VideoFrame, crop: PixelRect, into canvas: VideoFrame, at target: PixelRect) {
        let sourceChroma = crop.halved, targetChroma = target.halved
        let status = I420Scale(
            origin(source, .y, crop), Int32(source.stride(.y)),
            origin(source, .u, sourceChroma), Int32(source.stride(.u)),
            origin(source, .v, sourceChroma), Int32(source.stride(.v)),
            Int32(crop.width), Int32(crop.height),
            origin(canvas, .y, target), Int32(canvas.stride(.y)),
            origin(canvas, .u, targetChroma), Int32(canvas.stride(.u)),
            origin(canvas, .v, targetChroma), Int32(canvas.stride(.v)),
            Int32(target.width), Int32(target.height),
            kFilterBilinear)
        precondition(status == 0, "I420Scale \(crop) -> \(target) failed with \(status)")
    }
}

/// The address of `rect`'s first sample in one plane of `frame`.
func origin(_ frame: VideoFrame, _ plane: VideoFrame.Plane, _ rect: PixelRect) -> UnsafeMutablePointer<UInt8> {
    PlaneView(frame, plane).cropped(to: rect).base
}
