import FFmpegBridge

/// Why encoding could not start or go on. Setting errors name the job-config field they come
/// from, so a user can find the line to fix.
public enum MediaEncodeError: Error, CustomStringConvertible, Sendable {
    /// A setting outside what the encoders accept.
    case invalidSetting(field: String, value: String, allowed: String)
    /// The output cannot be created or written.
    case unwritableOutput(path: String, reason: String)
    /// The installed FFmpeg lacks an encoder or muxer Tessera needs.
    case missingComponent(String)
    /// A libav* call failed while encoding or muxing.
    case ffmpeg(FFmpegError)
    /// `write` after `finish`, or `finish` twice.
    case finished

    public var description: String {
        switch self {
        case let .invalidSetting(field, value, allowed):
            return "\(field): \(value) is not allowed; expected \(allowed)"
        case let .unwritableOutput(path, reason):
            return "cannot write \(path): \(reason)"
        case let .missingComponent(name):
            return "FFmpeg has no \(name); install Debian's libavcodec59/libavformat59 with their codec libraries"
        case let .ffmpeg(error):
            return error.description
        case .finished:
            return "the recording writer is already finished"
        }
    }
}

/// Runs a libav call and turns a negative return into `MediaEncodeError.ffmpeg`.
@discardableResult
func check(_ code: Int32, _ function: String, _ context: @autoclosure () -> String = "") throws(MediaEncodeError) -> Int32 {
    do {
        return try ffmpegCheck(code, function, context())
    } catch {
        throw .ffmpeg(error)
    }
}
