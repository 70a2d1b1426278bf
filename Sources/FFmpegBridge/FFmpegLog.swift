import CFFmpeg
import CShim
import Foundation
import Logging
import Synchronization

/// Routes FFmpeg's own log lines (av_log) into swift-log instead of stderr, so encoder and muxer
/// warnings appear in the recording's structured log and tests can observe them.
public enum FFmpegLog {
    public typealias Handler = @Sendable (_ level: Logger.Level, _ message: String) -> Void

    private static let handler = Mutex<Handler?>(nil)

    /// FFmpeg prints its info chatter (x264's statistics, say) to stderr unless told otherwise.
    /// Codec and format wrappers call this before their first libav call: until someone routes
    /// the log, only warnings and errors reach stderr.
    public static func quietUnlessRouted() {
        _ = quietened
    }

    private static let quietened: Void = {
        if handler.withLock({ $0 == nil }) { av_log_set_level(AV_LOG_WARNING) }
    }()

    /// Installs `handler` for every later FFmpeg message at or above `threshold` (FFmpeg's
    /// debug chatter is dropped in C before it is formatted).
    public static func route(to handler: @escaping Handler, threshold: Logger.Level = .warning) {
        self.handler.withLock { $0 = handler }
        av_log_set_level(avLevel(for: threshold))
        tessera_av_log_set_sink { level, message in
            guard let message else { return }
            FFmpegLog.dispatch(level: level, message: String(cString: message))
        }
    }

    /// Sends FFmpeg messages to `logger`.
    public static func route(to logger: Logger, threshold: Logger.Level = .warning) {
        route(to: { level, message in logger.log(level: level, "\(message)") }, threshold: threshold)
    }

    static func dispatch(level: Int32, message: String) {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, let handler = handler.withLock({ $0 }) else { return }
        handler(loggerLevel(for: level), text)
    }

    static func loggerLevel(for avLevel: Int32) -> Logger.Level {
        switch avLevel {
        case ...AV_LOG_FATAL: return .critical
        case ...AV_LOG_ERROR: return .error
        case ...AV_LOG_WARNING: return .warning
        case ...AV_LOG_INFO: return .info
        case ...AV_LOG_VERBOSE: return .debug
        default: return .trace
        }
    }

    static func avLevel(for level: Logger.Level) -> Int32 {
        switch level {
        case .critical: return AV_LOG_FATAL
        case .error: return AV_LOG_ERROR
        case .warning, .notice: return AV_LOG_WARNING
        case .info: return AV_LOG_INFO
        case .debug: return AV_LOG_VERBOSE
        case .trace: return AV_LOG_DEBUG
        }
    }
}
