import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

@testable import Recorder

/// Peers/webhook_receiver.py (python3, standard library only) run as a child process: a Standard Webhooks receiver that checks
/// signatures with Python's hmac. Stopped by `stop()`; it also exits by itself after a minute.
final class WebhookReceiverProcess: Sendable {
    let port: Int
    private let process: Process

    struct Received: Decodable {
        struct Payload: Decodable {
            let event: String
            let recording: RecordingStatus
        }
        let path: String
        let id: String
        let timestamp: String
        let verified: Bool
        let fresh: Bool
        let contentType: String
        let payload: Payload?
        let answer: String
    }

    /// Starts the receiver and waits (at most 30 s) until it listens.
    init(secret: String) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Peers/webhook_receiver.py")
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--secret", secret, "--lifetime", "60", "--port-file", portFile]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Polled rather than read from a pipe: a blocking read would hold a thread of the
        // (small) cooperative pool that the other tests need.
        // The file is read once more after the deadline: when busy tests hold the cooperative
        // pool, this task may only resume after the deadline has passed.
        let deadline = ContinuousClock.now + .seconds(30)
        var port: Int?
        while true {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port != nil || !process.isRunning || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let port else {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            throw ReceiverStartError(script: script.path)
        }
        self.port = port
        self.process = process
    }

    struct ReceiverStartError: Error {
        let script: String
    }

    func url(_ pathAndQuery: String) -> String {
        "http://127.0.0.1:\(port)\(pathAndQuery)"
    }

    /// Every request the receiver got, in arrival order.
    func received() async throws -> [Received] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url("/log")), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode([Received].self, from: Data(buffer: body))
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

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
