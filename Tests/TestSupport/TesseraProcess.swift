import Foundation

/// Runs the `tessera` binary built beside the test bundle, as a user or an orchestrator would.
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

    /// Runs `tessera arguments...` to completion (killed after `timeout` seconds).
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Result {
        try start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts `tessera arguments...` (with `environment` added to this process's).
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        try Running(arguments: arguments, environment: environment)
    }

    /// A `tessera` process that was started and may still run.
    public final class Running {
        private let process = Process()
        private let folder: String
        private let outputPath: String
        private let errorsPath: String

        init(arguments: [String], environment: [String: String]) throws {
            folder = NSTemporaryDirectory() + "tessera-run-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Files rather than pipes: a chatty child can never block on a full pipe.
            outputPath = folder + "/stdout"
            errorsPath = folder + "/stderr"
            _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
            process.executableURL = try TesseraProcess.executable()
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
            try process.run()
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(atPath: folder)
        }

        public var isRunning: Bool { process.isRunning }

        /// What the process has written to stderr so far.
        public var errorsSoFar: String { (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "" }

        public func signal(_ number: Int32) {
            kill(process.processIdentifier, number)
        }

        /// Waits (polling, never blocking longer than `timeout`) until stderr contains `text`;
        /// false when the process ended or the time ran out first.
        public func waitForErrors(containing text: String, timeout: TimeInterval) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                if errorsSoFar.contains(text) { return true }
                if !process.isRunning || Date() >= deadline { return errorsSoFar.contains(text) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }

        /// Waits for the exit (killed after `timeout` seconds).
        public func wait(timeout: TimeInterval = 120) -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return Result(status: process.terminationStatus,
                          output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                          errors: errorsSoFar)
        }
    }
}
