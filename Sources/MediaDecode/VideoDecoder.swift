import CFFmpeg
import FFmpegBridge
import MediaTypes

/// Turns one track's VP8 or H.264 frames into I420 `VideoFrame`s.
///
/// Delta frames before the first keyframe, or after a frame the decoder rejected, cannot be
/// shown correctly: they are dropped and `requestKeyframe` tells the caller to send a PLI.
/// Decoding resumes at the next keyframe. Size changes mid-stream are followed.
public final class VideoDecoder {
    public struct Statistics: Sendable, Equatable {
        public var framesIn = 0
        public var framesOut = 0
        /// Delta frames dropped while waiting for a keyframe.
        public var droppedAwaitingKeyframe = 0
        /// Frames the decoder rejected or reported as corrupt.
        public var decodeErrors = 0
        public var keyframeRequests = 0
        public var sizeChanges = 0
    }

    public enum Outcome: Sendable, Equatable {
        /// A picture came out (handed to the closure).
        case decoded
        /// Nothing to show yet (the decoder is buffering).
        case pending
        /// The frame could not be used; the sender should be asked for a keyframe.
        case requestKeyframe
    }

    public let track: TrackID
    public let codec: Codec
    public private(set) var statistics = Statistics()

    private let decoder: DecoderContext
    private var awaitingKeyframe = true
    private var pool: VideoFramePool?
    private var converter: OpaquePointer?

    public init(track: TrackID, codec: Codec) throws(MediaDecodeError) {
        guard codec.isVideo else { throw .unsupportedCodec(track: track, codec: codec) }
        self.track = track
        self.codec = codec
        decoder = try DecoderContext(track: track, codec: codec)
    }

    deinit { sws_freeContext(converter) }

    /// Decodes `frame`; a decoded picture (timed like `frame`) goes to `receive`.
    public func decode(_ frame: EncodedFrame, receive: (VideoFrame) -> Void) -> Outcome {
        statistics.framesIn += 1
        if awaitingKeyframe && !frame.isKeyframe {
            statistics.droppedAwaitingKeyframe += 1
            return requestKeyframe()
        }
        let timescale = frame.timestamp.timescale
        var produced = false
        let clean = decoder.decode(frame.data, pts: frame.timestamp.value) { decoded in
            let picture = copy(decoded)
            picture.timestamp = MediaTime(value: decoded.pointee.best_effort_timestamp, timescale: timescale)
            produced = true
            statistics.framesOut += 1
            receive(picture)
        }
        guard clean else {
            statistics.decodeErrors += 1
            awaitingKeyframe = true
            return requestKeyframe()
        }
        awaitingKeyframe = false
        return produced ? .decoded : .pending
    }

    private func requestKeyframe() -> Outcome {
        statistics.keyframeRequests += 1
        return .requestKeyframe
    }

    /// Copies a decoded picture into a pooled I420 frame, converting other pixel formats.
    private func copy(_ decoded: UnsafeMutablePointer<AVFrame>) -> VideoFrame {
        let width = Int(decoded.pointee.width), height = Int(decoded.pointee.height)
        if pool?.width != width || pool?.height != height {
            if pool != nil { statistics.sizeChanges += 1 }
            pool = VideoFramePool(width: width, height: height, capacity: 4)
        }
        let picture = pool!.makeFrame()
        let format = AVPixelFormat(rawValue: decoded.pointee.format)
        if format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P {
            FrameCopy.copy(decoded, into: picture)
        } else {
            convert(decoded, format: format, into: picture)
        }
        return picture
    }

    private func convert(_ decoded: UnsafeMutablePointer<AVFrame>, format: AVPixelFormat, into picture: VideoFrame) {
        let width = Int32(picture.width), height = Int32(picture.height)
        converter = sws_getCachedContext(converter, width, height, format, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        // No converter for this format: the picture keeps what it held.
        guard let converter else { return }
        FrameCopy.convert(decoded, with: converter, into: VideoFrame.Plane.allCases.map { picture.pointer($0) },
                          strides: VideoFrame.Plane.allCases.map { Int32(picture.stride($0)) })
    }
}
