import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The repository root, found from this file (through the dev package's symlinks if any).
let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct TestServerError: Error, CustomStringConvertible {
    var description: String
}

/// A loopback port nobody listens on right now (the kernel's choice for port 0).
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw TestServerError(description: "socket failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw TestServerError(description: "bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

func canConnect(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// A server process on loopback (a `ChildProcess`, so a daemon that closes its inherited
/// descriptors cannot stall other tests' processes), stopped by `stop()` or when the value goes
/// away. `init` waits at most `timeout` for the port to accept connections.
final class ServerProcess: Sendable {
    let port: Int
    private let child: ChildProcess

    init(
        _ arguments: [String], port: Int, environment: [String: String] = [:],
        timeout: Duration = .seconds(30)
    )
        async throws
    {
        self.port = port
        let child = try ChildProcess(arguments, environment: environment)
        self.child = child
        let deadline = ContinuousClock.now + timeout
        while !canConnect(port: port) {
            guard child.isRunning, ContinuousClock.now < deadline else {
                child.stop(grace: .zero)
                throw TestServerError(
                    description: "\(arguments.joined(separator: " ")) did not listen on \(port)")
            }
            do { try await Task.sleep(for: .milliseconds(50)) } catch {
                child.stop(grace: .zero)
                throw error
            }
        }
    }

    var processIdentifier: pid_t { child.pid }

    /// SIGTERM, then SIGKILL after 2 s (moto's server waits for idle keep-alive connections on
    /// SIGTERM and may never exit by itself); returns at once.
    func stop() { child.stop() }

    deinit { stop() }
}

/// moto's S3 server on loopback, accepting parts down to `minimumPartSize` bytes.
func startMoto(minimumPartSize: Int) async throws -> ServerProcess {
    let port = try freeLoopbackPort()
    return try await ServerProcess(
        ["moto_server", "-H", "127.0.0.1", "-p", String(port)], port: port,
        environment: ["S3_UPLOAD_PART_MIN_SIZE": String(minimumPartSize)])
}

/// scripts/storage-test-servers/fault_proxy.py in front of `upstreamPort`.
func startFaultProxy(upstreamPort: Int, rules: [String], log: String) async throws -> ServerProcess
{
    let port = try freeLoopbackPort()
    let script = repositoryRoot.appendingPathComponent(
        "scripts/storage-test-servers/fault_proxy.py"
    )
    .path
    return try await ServerProcess(
        [
            "python3", script, "--port", String(port), "--upstream",
            "http://127.0.0.1:\(upstreamPort)",
            "--log", log,
        ]
            + rules.flatMap { ["--rule", $0] }, port: port)
}

/// A scratch folder removed when the value goes away.
final class ScratchFolder: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tessera-storage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `count` bytes of a fixed pseudo-random pattern (so parts differ) and returns them.
    func makeFile(_ name: String, count: Int, seed: UInt64 = 1) throws -> (
        path: String, bytes: Data
    ) {
        var state = seed
        var bytes = Data(count: count)
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        let file = "\(path)/\(name)"
        try bytes.write(to: URL(fileURLWithPath: file))
        return (file, bytes)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Log lines captured in memory, to check what the backends log.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in CapturingHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private struct CapturingHandler: LogHandler {
    let sink: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.append(
            "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 }) \(event.error.map { "\($0)" } ?? "")"
        )
    }
}

/// Passes requests to another transport, counting them, and can stand in for a process that
/// is killed: after `interruptAfterParts` UploadPart/Put Block requests have succeeded, the
/// next one throws `CancellationError` without being sent.
final class ObservingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let interruptAfterParts: Int?
    private let state = Mutex<(requests: [String], partsDone: Int)>(([], 0))

    init(_ inner: any HTTPTransport, interruptAfterParts: Int? = nil) {
        self.inner = inner
        self.interruptAfterParts = interruptAfterParts
    }

    /// "METHOD query" per request sent, in order.
    var requests: [String] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let query =
            request.url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let isPart = query.contains("partNumber=") || query.contains("comp=block&")
        if isPart, let limit = interruptAfterParts, state.withLock({ $0.partsDone }) >= limit {
            throw CancellationError()
        }
        state.withLock { $0.requests.append("\(request.method) \(query)") }
        let response = try await inner.send(request)
        if isPart && (200..<300).contains(response.status) { state.withLock { $0.partsDone += 1 } }
        return response
    }
}
