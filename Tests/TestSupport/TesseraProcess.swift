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
    public static func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let folder = NSTemporaryDirectory() + "tessera-run-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Files rather than pipes: a chatty child can never block on a full pipe.
        let outputPath = folder + "/stdout", errorsPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                      errors: (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
    }
}
