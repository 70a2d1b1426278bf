import CSwscale
import Compositor
import MediaTypes

/// The FFmpeg baseline: `sws_scale` (SWS_BILINEAR, one thread) from a source rectangle into
/// the tile's rectangle of the canvas planes, with one cached context per pair of sizes.
final class SwscaleTileScaler {
    private struct Sizes: Hashable {
        var source: PixelSize
        var target: PixelSize
    }

    private var contexts: [Sizes: OpaquePointer] = [:]
    // Plane pointer and stride arrays for sws_scale, allocated once so a tile allocates nothing.
    private let sourcePlanes = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: 4)
    private let targetPlanes = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: 4)
    private let sourceStrides = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
    private let targetStrides = UnsafeMutablePointer<Int32>.allocate(capacity: 4)

    init() {
        // Tiles at odd chroma offsets are unaligned by nature; swscale's warning about it
        // would interleave with the benchmark table.
        av_log_set_level(AV_LOG_ERROR)
        sourcePlanes.initialize(repeating: nil, count: 4)
        targetPlanes.initialize(repeating: nil, count: 4)
        sourceStrides.initialize(repeating: 0, count: 4)
        targetStrides.initialize(repeating: 0, count: 4)
    }

    deinit {
        contexts.values.forEach { sws_freeContext($0) }
        sourcePlanes.deallocate()
        targetPlanes.deallocate()
        sourceStrides.deallocate()
        targetStrides.deallocate()
    }

    func scale(_ source: VideoFrame, crop: PixelRect, into canvas: VideoFrame, at target: PixelRect) {
        let context = self.context(Sizes(source: crop.size, target: target.size))
        let sourceChroma = crop.halved, targetChroma = target.halved
        for (index, plane) in VideoFrame.Plane.allCases.enumerated() {
            let isLuma = plane == .y
            sourcePlanes[index] = UnsafePointer(origin(source, plane, isLuma ? crop : sourceChroma))
            sourceStrides[index] = Int32(source.stride(plane))
            targetPlanes[index] = origin(canvas, plane, isLuma ? target : targetChroma)
            targetStrides[index] = Int32(canvas.stride(plane))
        }
        let rows = sws_scale(context, sourcePlanes, sourceStrides, 0, Int32(crop.height), targetPlanes, targetStrides)
        precondition(rows == Int32(target.height), "sws_scale \(crop) -> \(target) wrote \(rows) rows")
    }

    private func context(_ sizes: Sizes) -> OpaquePointer {
        if let cached = contexts[sizes] { return cached }
        guard let context = sws_getContext(
            Int32(sizes.source.width), Int32(sizes.source.height), AV_PIX_FMT_YUV420P,
            Int32(sizes.target.width), Int32(sizes.target.height), AV_PIX_FMT_YUV420P,
            SWS_BILINEAR, nil, nil, nil)
        else { preconditionFailure("sws_getContext \(sizes.source) -> \(sizes.target) failed") }
        contexts[sizes] = context
        return context
    }
}
