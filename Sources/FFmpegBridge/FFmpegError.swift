import CFFmpeg

/// A failed libav* call: which function, its error code and FFmpeg's text for it.
public struct FFmpegError: Error, CustomStringConvertible, Sendable {
    public var function: String
    public var code: Int32
    /// What the call was working on (a file path, a track, a codec), for the message.
    public var context: String

    public init(function: String, code: Int32, context: String = "") {
        self.function = function
        self.code = code
        self.context = context
    }

    public var message: String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String {
        let target = context.isEmpty ? "" : " (\(context))"
        return "\(function) failed\(target): \(message) [\(code)]"
    }

    public var isEndOfFile: Bool { code == tessera_averror_eof() }
    public var isTryAgain: Bool { code == tessera_averror_eagain() }
}

/// Returns `code` when it is not negative, else throws it as an `FFmpegError`.
@discardableResult
public func ffmpegCheck(_ code: Int32, _ function: String, _ context: @autoclosure () -> String = "") throws(FFmpegError) -> Int32 {
    if code < 0 { throw FFmpegError(function: function, code: code, context: context()) }
    return code
}
