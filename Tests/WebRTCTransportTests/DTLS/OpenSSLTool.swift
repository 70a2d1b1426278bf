import Foundation

/// Debian's `openssl` command, a DTLS and X.509 implementation this project did not write,
/// run as a separate process whose output lands in a temporary file the test can poll.
final class OpenSSLTool {
    let outputPath: String
    private let process = Process()
    private let input = Pipe()

    /// Starts `openssl` with `arguments`; its stdin stays open until `stop()`.
    init(_ arguments: [String]) throws {
        outputPath = NSTemporaryDirectory() + "tessera-openssl-\(UUID().uuidString).log"
        // Opening the handle below fails when the file could not be made.
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Polls the output until it contains `text`, for at most `timeLimit`.
    func waitForOutput(containing text: String, timeLimit: Duration = .seconds(10)) -> Bool {
        let end = ContinuousClock.now + timeLimit
        while ContinuousClock.now < end {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Ends the process (it may have ended already) and removes its output file.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    /// Runs `openssl` to completion and returns its output.
    static func run(_ arguments: [String]) throws -> String {
        let tool = try OpenSSLTool(arguments)
        try? tool.input.fileHandleForWriting.close()
        tool.process.waitUntilExit()
        let output = tool.output
        tool.stop()
        return output
    }

    /// A fresh P-256 key and self-signed certificate made by `openssl req`, as PEM files in a new
    /// temporary directory, with the certificate's SHA-256 fingerprint as `openssl x509` prints it.
    static func makeCertificate(commonName: String) throws -> (
        directory: String, certificate: String, key: String, fingerprint: String
    ) {
        let directory = NSTemporaryDirectory() + "tessera-dtls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        _ = try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
        ])
        let printed = try run(["x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
        // "sha256 Fingerprint=AB:CD:..."
        let hex = printed.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return (directory, certificate, key, "sha-256 " + hex)
    }
}
