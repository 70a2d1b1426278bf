import Foundation
import Logging
import Synchronization
import TestSupport

@testable import Recorder

/// The status webhook receiver, decoding payloads as `RecordingStatus`.
typealias WebhookReceiverProcess = WebhookReceiver<RecordingStatus>

/// Log lines captured from `RecordingLogHandler` for assertions.
final class CapturedLogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var sink: RecordingLogSink {
        RecordingLogSink { line in self.lines.withLock { $0.append(line) } }
    }

    var text: String { lines.withLock { $0.joined() } }

    func logger(format: RecordingLogHandler.Format = .json, recordingId: String = "rec-1") -> Logger {
        let sink = sink
        var logger = Logger(label: "tessera") { label in
            RecordingLogHandler(label: label, format: format, recordingId: recordingId, sink: sink)
        }
        logger.logLevel = .debug
        return logger
    }
}

/// The samples of a Prometheus text exposition by `name{labels}`; nil when a line is neither a
/// comment nor `name{labels} value`.
func prometheusSamples(_ text: String) -> [String: Double]? {
    var samples: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) ([-+0-9.eE]+|NaN)/),
            let value = Double(match.2)
        else { return nil }
        samples[String(match.1)] = value
    }
    return samples
}

let silentLifecycleLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
