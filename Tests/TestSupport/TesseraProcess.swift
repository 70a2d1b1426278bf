import Foundation

/// Runs the `tessera` binary built beside the test bundle, as a user or an orchestrator would.
/// Waiting never holds a thread (see `ChildProcess`): several of these run at once in the
/// parallel test run.
public enum TesseraProcess {
    public struct Result {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    public static func executable() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("tessera") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates[0].path])
        }
        return found
    }

    /// Runs `tessera arguments...` to completion (killed after `timeout`).
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> Result {
        try await start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts `tessera arguments...` (with `environment` added to this process's).
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        try Running(arguments: arguments, environment: environment)
    }

    /// A `tessera` process that was started and may still run.
    public final class Running: Sendable {
        private let child: ChildProcess
        private let folder: String

        init(arguments: [String], environment: [String: String]) throws {
            folder = NSTemporaryDirectory() + "tessera-run-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Files rather than pipes: a chatty child can never block on a full pipe.
            child = try ChildProcess(
                [try TesseraProcess.executable().path] + arguments, environment: environment,
                standardOutput: folder + "/stdout", standardError: folder + "/stderr")
        }

        deinit {
            child.stop(grace: .zero)
            try? FileManager.default.removeItem(atPath: folder)
        }

        public var isRunning: Bool { child.isRunning }

        /// What the process has written to stderr so far.
        public var errorsSoFar: String { (try? String(contentsOfFile: folder + "/stderr", encoding: .utf8)) ?? "" }

        public func signal(_ number: Int32) {
            child.send(number)
        }

        /// Waits until stderr contains `text`; false when the process ended or the time ran out first.
        public func waitForErrors(containing text: String, timeout: Duration) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while true {
                if errorsSoFar.contains(text) { return true }
                if !child.isRunning || ContinuousClock.now >= deadline { return errorsSoFar.contains(text) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }

        /// Waits for the exit (killed after `timeout`).
        public func wait(timeout: Duration = .seconds(120)) async -> Result {
            let termination: ChildProcess.Termination
            do {
                termination = try await child.waitForExit(timeout: timeout)
            } catch {
                termination = .killed(signal: SIGKILL)
            }
            return Result(status: termination.status,
                          output: (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? "",
                          errors: errorsSoFar)
        }
    }
}
