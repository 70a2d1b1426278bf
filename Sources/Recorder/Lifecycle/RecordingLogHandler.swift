import Foundation
import Logging

/// A swift-log handler that writes one line per message, with the recording id on every line,
/// for `--log-format json|text`:
///
///     json: {"label":"tessera","level":"info","message":"recording status","recording_id":"rec-1","status":"RECORDING","time":"2026-11-26T10:00:00.000Z"}
///     text: 2026-11-26T10:00:00.000Z info tessera recording_id=rec-1 recording status status=RECORDING
///
/// Metadata is merged (handler, then the metadata provider, then the message's own, the later
/// winning); values are written through their descriptions, so a `Secret` shows as `***`.
/// Install with `LoggingSystem.bootstrap { label in RecordingLogHandler(label: label, ...) }`.
public struct RecordingLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case json
        case text
    }

    public let label: String
    public let format: Format
    public let recordingId: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: RecordingLogSink

    public init(
        label: String, format: Format, recordingId: String, sink: RecordingLogSink = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.format = format
        self.recordingId = recordingId
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        merged["recording_id"] = .string(recordingId)
        let time = RecordingStatus.format(Date())
        let line: String
        switch format {
        case .json:
            var fields = merged
            fields["time"] = .string(time)
            fields["level"] = .string(event.level.rawValue)
            fields["label"] = .string(label)
            fields["message"] = .string(event.message.description)
            line = Self.json(.dictionary(fields))
        case .text:
            var parts = [time, event.level.rawValue, label, "recording_id=\(Self.text(.string(recordingId)))"]
            parts.append(event.message.description.replacingOccurrences(of: "\n", with: "\\n"))
            for key in merged.keys.sorted() where key != "recording_id" {
                // `merged[key]` is present: the key came from the dictionary.
                parts.append("\(key)=\(Self.text(merged[key] ?? .string("")))")
            }
            line = parts.joined(separator: " ")
        }
        sink.write(line + "\n")
    }

    /// A value for a `key=value` pair: quoted when it has spaces, quotes or is empty.
    static func text(_ value: Logger.Metadata.Value) -> String {
        let plain: String
        switch value {
        case .string(let string): plain = string
        case .stringConvertible(let convertible): plain = convertible.description
        case .array, .dictionary: return json(value)
        }
        let needsQuotes = plain.isEmpty || plain.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? jsonString(plain) : plain
    }

    /// Metadata as JSON; dictionaries with sorted keys so lines are stable.
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): jsonString(string)
        case .stringConvertible(let convertible): jsonString(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let fields):
            "{" + fields.keys.sorted().map { key in jsonString(key) + ":" + json(fields[key] ?? .string("")) }
                .joined(separator: ",") + "}"
        }
    }

    static func jsonString(_ string: String) -> String {
        var escaped = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

/// Where `RecordingLogHandler` lines go: stderr in the process, a buffer in tests. Whole lines
/// are written under a lock so lines from different threads never interleave.
public struct RecordingLogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    public init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    public static let standardError: RecordingLogSink = {
        let lock = NSLock()
        return RecordingLogSink { line in
            lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
        }
    }()

    func write(_ line: String) {
        writeLine(line)
    }
}
