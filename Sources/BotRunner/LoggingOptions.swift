import ArgumentParser
import FFmpegBridge
import Logging
import Recorder

/// `--log-format` and `--log-level`: structured lines on stderr with the recording id on each.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log lines as text or json.") var logFormat: RecordingLogHandler.Format = .text
    @Option(help: "Least severe level logged (trace, debug, info, notice, warning, error, critical).") var logLevel: Logger.Level = .info

    /// Installs the process's log handler (once per process) and routes FFmpeg's log into it.
    func bootstrap(recordingID: String) -> Logger {
        let format = logFormat, level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = RecordingLogHandler(label: label, format: format, recordingId: recordingID)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tessera")
        FFmpegLog.route(to: Logger(label: "ffmpeg"))
        return logger
    }
}

extension RecordingLogHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
