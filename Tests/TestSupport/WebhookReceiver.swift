import AsyncHTTPClient
import Foundation
import NIOCore

/// Peers/webhook_receiver.py (python3, standard library only) run as a child process: a Standard Webhooks receiver that checks
/// signatures with Python's hmac. Stopped by `stop()`; it also exits by itself after a minute.
public final class WebhookReceiver<Recording: Decodable & Sendable>: Sendable {
    public let port: Int
    private let process: Process

    public struct Received: Decodable, Sendable {
        public struct Payload: Decodable, Sendable {
            public let event: String
            public let recording: Recording
        }
        public let path: String
        public let id: String
        public let timestamp: String
        /// The signature checked out with Python's hmac.
        public let verified: Bool
        public let fresh: Bool
        public let contentType: String
        public let payload: Payload?
        public let answer: String
    }

    /// Starts the receiver and waits (at most 30 s) until it listens.
    public init(secret: String) async throws {
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

    public struct ReceiverStartError: Error {
        public let script: String
    }

    public func url(_ pathAndQuery: String) -> String {
        "http://127.0.0.1:\(port)\(pathAndQuery)"
    }

    /// Every request the receiver got, in arrival order.
    public func received() async throws -> [Received] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url("/log")), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode([Received].self, from: Data(body.readableBytesView))
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

