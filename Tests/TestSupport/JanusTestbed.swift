import Foundation

#if canImport(Glibc)
import Glibc

/// A Janus of its own for one test, from scripts/testbed: a network namespace with a veth
/// pair, Janus inside it, aiortc publishers in the root namespace. `stop()` ends every process
/// the test bed started and removes the namespace.
public final class JanusTestbed: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// A started `participant.py`.
    public struct Publisher: Sendable {
        public let process: ChildProcess
        public let output: URL

        public var log: String { (try? String(contentsOf: output.appendingPathExtension("log"), encoding: .utf8)) ?? "" }
    }

    /// Real peers need root (namespaces), Debian's Janus and aiortc.
    public static let isAvailable: Bool =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/janus")
        && (try? run(["/usr/bin/env", "python3", "-c", "import aiortc"], timeout: 20)) != nil

    /// Runs `body` with a started test bed and stops the bed afterwards, also when `body`
    /// throws. The scripts block while they run, so they run off Swift's cooperative threads.
    public static func with<Result: Sendable>(_ body: (JanusTestbed) async throws -> Result) async throws -> Result {
        let bed = try await offPool { try JanusTestbed() }
        do {
            let result = try await body(bed)
            try await offPool { bed.stop() }
            return result
        } catch {
            try? await offPool { bed.stop() }
            throw error
        }
    }

    /// Runs blocking work on a Dispatch thread.
    public static func offPool<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    static let scripts = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/testbed")

    public let name: String
    /// The root namespace's end of the veth pair: where participants and the bot bind.
    public let hostAddress: String
    public let janusAddress: String
    public let workdir: URL
    private var janusPID: String?
    private var publishers: [Publisher] = []
    private var stopped = false

    public var url: String { "ws://\(janusAddress):8188" }

    private init() throws {
        name = "tsig-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        workdir = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        let addresses = try Self.run([Self.scripts.appendingPathComponent("netns").path, "up", name], timeout: 20)
            .split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard addresses.count == 2 else { throw Failure(description: "netns up printed \(addresses)") }
        hostAddress = addresses[0]
        janusAddress = addresses[1]
        do {
            janusPID = try Self.run(
                [Self.scripts.appendingPathComponent("start-janus").path, "--netns", name, "--address", janusAddress,
                 "--workdir", workdir.appendingPathComponent("janus").path],
                timeout: 20
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            stop()
            throw error
        }
    }

    /// Starts an aiortc publisher; it joins, publishes for `seconds` and leaves on its own.
    /// `flashEvery` > 0 adds a white frame and a beep at the same media instant every that many
    /// seconds (see participant.py).
    public func publish(index: Int, codec: String, seconds: Double, joinDelay: Double = 0, flashEvery: Double = 0) throws -> Publisher {
        let output = workdir.appendingPathComponent("participant-\(index).json")
        let process = try ChildProcess(
            [
                "/usr/bin/env", "python3", Self.scripts.appendingPathComponent("participant.py").path, "--ws", url,
                "--index", String(index), "--codec", codec, "--seconds", String(seconds), "--join-delay", String(joinDelay),
                "--width", "320", "--height", "180", "--bind-address", hostAddress, "--flash-every", String(flashEvery),
            ],
            stdout: output.path, stderr: output.appendingPathExtension("log").path)
        let publisher = Publisher(process: process, output: output)
        publishers.append(publisher)
        return publisher
    }

    /// Stops Janus alone (the meeting server going away mid-meeting); blocks up to 15 s.
    public func stopJanus() {
        guard let pid = janusPID else { return }
        janusPID = nil
        _ = try? Self.run([Self.scripts.appendingPathComponent("stop-janus").path, pid, "10"], timeout: 15)
    }

    /// Ends the publishers still running, Janus and the namespace (which also ends anything
    /// left inside it). Blocks for up to half a minute; only the first call does anything.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for publisher in publishers { publisher.process.signal(SIGTERM) }
        for publisher in publishers where publisher.process.wait(timeout: 5) == nil {
            publisher.process.signal(SIGKILL)
            _ = publisher.process.wait(timeout: 5)
        }
        if let janusPID {
            _ = try? Self.run([Self.scripts.appendingPathComponent("stop-janus").path, janusPID, "10"], timeout: 15)
        }
        _ = try? Self.run([Self.scripts.appendingPathComponent("netns").path, "down", name], timeout: 20)
        try? FileManager.default.removeItem(at: workdir)
    }

    public var janusLog: String {
        (try? String(contentsOf: workdir.appendingPathComponent("janus/janus.log"), encoding: .utf8)) ?? ""
    }

    /// Runs a command to its end (killed after `timeout` seconds) and returns its stdout; a
    /// non-zero exit throws with its stderr. Output goes through files: a command that leaves a
    /// daemon behind (start-janus) must not keep a pipe open.
    @discardableResult
    public static func run(_ arguments: [String], timeout: TimeInterval) throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let stdout = directory.appendingPathComponent("tsig-\(UUID().uuidString).out")
        let stderr = directory.appendingPathComponent("tsig-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: stdout)
            try? FileManager.default.removeItem(at: stderr)
        }
        let process = try ChildProcess(arguments, stdout: stdout.path, stderr: stderr.path)
        guard let status = process.wait(timeout: timeout) else {
            process.signal(SIGKILL)
            _ = process.wait(timeout: 5)
            throw Failure(description: "\(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        let output = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(status): \(errors)")
        }
        return output
    }
}

/// A child process started with posix_spawn, with an empty signal mask and default signal
/// handlers (what the test process blocks must not leak into Janus and the scripts), no file
/// descriptor of the test process but stdin from /dev/null and its output into files. Reaped
/// here with waitpid.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var status: Int32?

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, which the Glibc module does not
    /// import.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            return { _, _ in -1 }
        }
        return unsafeBitCast(
            symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    public init(_ arguments: [String], stdout: String, stderr: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the test process (its sockets) may live on in the child.
        guard Self.addCloseFrom(&actions, 3) == 0 else {
            throw JanusTestbed.Failure(description: "posix_spawn_file_actions_addclosefrom_np failed")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments.first ?? "", &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw JanusTestbed.Failure(description: "cannot start \(arguments.first ?? ""): error \(result)")
        }
        self.pid = pid
    }

    /// The exit status (128 + signal when killed), or nil if it still runs after `timeout` s.
    public func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while status == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                let signal = raw & 0x7f
                status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            } else if Date() >= deadline {
                return nil
            } else {
                usleep(20_000)
            }
        }
        return status
    }

    public func signal(_ number: Int32) {
        if status == nil { kill(pid, number) }
    }
}
#endif
