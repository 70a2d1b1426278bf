import CFFmpeg
import MediaTypes

/// Copies pixels between Tessera's `VideoFrame` and libav's `AVFrame` (both I420).
public enum FrameCopy {
    /// Copies `frame` into `avFrame`, which must be a writable YUV420P frame of the same size.
    public static func copy(_ frame: VideoFrame, into avFrame: UnsafeMutablePointer<AVFrame>) {
        for plane in VideoFrame.Plane.allCases {
            let index = Int32(plane.rawValue)
            copyPlane(
                from: UnsafePointer(frame.pointer(plane)), sourceStride: frame.stride(plane),
                to: tessera_frame_data(avFrame, index), destinationStride: Int(tessera_frame_linesize(avFrame, index)),
                width: frame.planeWidth(plane), height: frame.planeHeight(plane))
        }
    }

    /// Copies a decoded YUV420P `avFrame` into `frame` of the same size.
    public static func copy(_ avFrame: UnsafePointer<AVFrame>, into frame: VideoFrame) {
        for plane in VideoFrame.Plane.allCases {
            let index = Int32(plane.rawValue)
            copyPlane(
                from: UnsafePointer(tessera_frame_data(avFrame, index)), sourceStride: Int(tessera_frame_linesize(avFrame, index)),
                to: frame.pointer(plane), destinationStride: frame.stride(plane),
                width: frame.planeWidth(plane), height: frame.planeHeight(plane))
        }
    }

    /// Converts `avFrame` with `converter` (an swscale context made for the frame's size and
    /// format) into the planes at `destination` with `strides`.
    public static func convert(_ avFrame: UnsafePointer<AVFrame>, with converter: OpaquePointer,
                               into destination: [UnsafeMutablePointer<UInt8>?], strides: [Int32]) {
        let planes = (0..<4).map { UnsafePointer(tessera_frame_data(avFrame, $0)) }
        let lineSizes = (0..<4).map { tessera_frame_linesize(avFrame, $0) }
        _ = sws_scale(converter, planes, lineSizes, 0, avFrame.pointee.height, destination, strides)
    }

    static func copyPlane(
        from source: UnsafePointer<UInt8>?, sourceStride: Int,
        to destination: UnsafeMutablePointer<UInt8>?, destinationStride: Int,
        width: Int, height: Int
    ) {
        guard let source, let destination else { return }
        for row in 0..<height {
            (destination + row * destinationStride).update(from: source + row * sourceStride, count: width)
        }
    }
}
