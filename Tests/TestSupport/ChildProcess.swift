import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A process the tests start with `posix_spawn` and reap themselves, instead of Foundation's
/// `Process`.
///
/// Foundation's `Process` learns that a child ended when a socket the child inherited reaches
/// end of file, then calls a blocking `waitpid` on its one monitor thread, shared by every
/// `Process` in the test binary. A daemon that closes inherited descriptors at startup (sshd,
/// Janus started by a script) sends that end of file at once, so the monitor thread sits in
/// `waitpid` until the daemon exits, and meanwhile no other `Process` in any suite is seen to
/// end: their `waitUntilExit()` calls hold the cooperative threads, which the test that would
/// stop the daemon then never gets back. Here waiting is a `waitpid(WNOHANG)` poll.
///
/// The child runs in a process group of its own (signals go to the whole group) with an empty
/// signal mask and default handlers (what the test process blocks must not leak into servers
/// and the bot), descriptors 0-2 from files or /dev/null and every other descriptor closed
/// (the test's own sockets must not live on in it).
public final class ChildProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// How the child ended: its exit code, or the signal that killed it.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case killed(signal: Int32)

        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7f
            self = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .killed(signal: signal)
        }

        /// A shell's `$?`: the exit code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .killed(let signal): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .killed(let signal): "signal \(signal)"
            }
        }
    }

    public let pid: pid_t
    public let command: String
    /// The raw wait status once the child has been reaped.
    private let waitStatus = Mutex<Int32?>(nil)

    /// Starts `arguments` through `/usr/bin/env` (so PATH and pyenv shims apply) with the test
    /// process's environment plus `environment`; stdin reads `standardInput`, stdout and stderr
    /// write `standardOutput` and `standardError` (created or truncated); /dev/null when nil.
    public init(
        _ arguments: [String], environment: [String: String] = [:],
        standardInput: String? = nil, standardOutput: String? = nil, standardError: String? = nil
    ) throws {
        command = arguments.first ?? ""
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard let closeFrom = Self.addCloseFrom else {
            throw Failure(description: "posix_spawn_file_actions_addclosefrom_np missing (glibc < 2.34)")
        }
        _ = closeFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)

        let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "posix_spawn \(command): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's atomic "close every descriptor from n up"; not in Swift's Glibc module.
    private static let addCloseFrom: AddCloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Reaps the child if it has ended; nil while it runs. Never blocks.
    public var termination: Termination? {
        waitStatus.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
            }
            return status.map(Termination.init(waitStatus:))
        }
    }

    public var isRunning: Bool { termination == nil }

    /// Sends `signal` to the child's process group unless the child has been reaped (its
    /// process id may then belong to someone else).
    public func send(_ signal: Int32) {
        waitStatus.withLock { status in
            if status == nil { kill(-pid, signal) }
        }
    }

    /// Waits for the child to end without holding a thread. At the deadline, or if the task is
    /// cancelled, the child's group is killed and this throws.
    public func waitForExit(timeout: Duration) async throws -> Termination {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let termination { return termination }
            guard ContinuousClock.now < deadline else {
                stop(grace: .zero)
                throw Failure(description: "\(command) did not finish within \(timeout)")
            }
            do { try await Task.sleep(for: .milliseconds(10)) } catch {
                stop(grace: .zero)
                throw error
            }
        }
    }

    /// Waits on the calling thread (for code already off the cooperative pool); nil when the
    /// child still runs after `timeout`.
    public func wait(timeout: Duration) -> Termination? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let termination { return termination }
            if ContinuousClock.now >= deadline { return nil }
            usleep(10_000)
        }
    }

    /// SIGTERM to the child's group, SIGKILL after `grace` if it is still there. Returns at
    /// once: a thread of its own waits (at most `grace` + 10 s) and reaps the child.
    public func stop(grace: Duration = .seconds(2)) {
        guard isRunning else { return }
        send(SIGTERM)
        Thread { [self] in
            let killAt = ContinuousClock.now + grace
            let giveUpAt = killAt + .seconds(10)
            var killed = false
            while isRunning, ContinuousClock.now < giveUpAt {
                if !killed, ContinuousClock.now >= killAt {
                    send(SIGKILL)
                    killed = true
                }
                usleep(10_000)
            }
        }.start()
    }

    /// Runs a command to its end and returns its stdout; anything but exit code 0 (or the
    /// timeout) throws with its stderr. `input` is its stdin (kept owner-only: it may be a
    /// password).
    public static func output(of arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (inputPath, outputPath, errorPath) = ("\(folder)/input", "\(folder)/output", "\(folder)/errors")
        if let input, !FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8), attributes: [.posixPermissions: 0o600]) {
            throw Failure(description: "cannot write \(inputPath)")
        }
        let child = try ChildProcess(
            arguments, standardInput: input == nil ? nil : inputPath, standardOutput: outputPath, standardError: errorPath)
        let termination = try await child.waitForExit(timeout: timeout)
        guard termination == .exited(0) else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(arguments.joined(separator: " ")) ended with \(termination): \(errors)")
        }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}
