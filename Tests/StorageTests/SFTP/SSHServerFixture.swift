import Foundation
import TestSupport
import Testing

@testable import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// OpenSSH's sshd (Debian's `openssh-server`, installed by scripts/install-deps) on a free
/// loopback port with a configuration, host key, client keys and log of its own in a scratch
/// folder; stopped and removed when the value goes away.
///
/// Password authentication needs a real account, so the tests use a dedicated system user,
/// `tessera-sftp-test`, without a login shell (sshd's in-process sftp server needs none); it is
/// created if absent and stays, as creating and removing users under tests running in parallel
/// would race. Its password is random, kept root-only in /var/lib/tessera-sftp-test so that test
/// processes running at the same time agree on it. Uploads go to a `run-<uuid>` folder in its
/// home, removed afterwards. Key authentication reads the scratch folder's `authorized_keys`.
/// Needs root (useradd, chpasswd, reading the uploaded files back).
///
/// Every command runs as a `ChildProcess`: no thread waits while ssh-keygen or sshd run.
final class SSHServerFixture: Sendable {
    static let user = "tessera-sftp-test"

    struct Account: Sendable {
        var home: String
        var password: String
    }

    /// Prepared once per test process, by the first fixture that needs it.
    private static let account = Task { try await prepareAccount() }

    let port: Int
    let home: String
    let password: String
    /// A folder inside `home`, fresh for this server, that the test uploads into.
    let runFolder: String
    let hostKeyFingerprint: String
    let ed25519Key: String
    let ecdsaKey: String
    let logPath: String
    private let scratch: ScratchFolder
    private let server: ServerProcess

    init() async throws {
        let account = try await Self.account.value
        home = account.home
        password = account.password
        scratch = try ScratchFolder()
        let folder = scratch.path
        // sshd reads authorized_keys as the user, so the folder must be readable by others.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        for (name, type) in [("host_key", "ed25519"), ("client_ed25519", "ed25519"), ("client_ecdsa", "ecdsa")] {
            _ = try await ChildProcess.output(of: 
                ["ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f", "\(folder)/\(name)"])
        }
        let authorizedKeys = try ["client_ed25519", "client_ecdsa"].map {
            try String(contentsOfFile: "\(folder)/\($0).pub", encoding: .utf8)
        }.joined()
        try authorizedKeys.write(toFile: "\(folder)/authorized_keys", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: "\(folder)/authorized_keys")
        ed25519Key = try String(contentsOfFile: "\(folder)/client_ed25519", encoding: .utf8)
        ecdsaKey = try String(contentsOfFile: "\(folder)/client_ecdsa", encoding: .utf8)
        // `256 SHA256:… test (ED25519)`
        let listing = try await ChildProcess.output(of: ["ssh-keygen", "-lf", "\(folder)/host_key.pub"])
        hostKeyFingerprint = String(listing.split(separator: " ").dropFirst().first ?? "")
        logPath = "\(folder)/sshd.log"
        let config = """
            HostKey \(folder)/host_key
            ListenAddress 127.0.0.1
            PidFile \(folder)/sshd.pid
            AuthorizedKeysFile \(folder)/authorized_keys
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            UsePAM no
            StrictModes no
            PermitRootLogin no
            AllowUsers \(Self.user)
            LogLevel VERBOSE
            Subsystem sftp internal-sftp

            """
        try config.write(toFile: "\(folder)/sshd_config", atomically: true, encoding: .utf8)
        runFolder = "run-\(UUID().uuidString)"
        port = try freeLoopbackPort()
        server = try await ServerProcess(
            ["/usr/sbin/sshd", "-D", "-E", logPath, "-f", "\(folder)/sshd_config", "-p", String(port)],
            port: port, timeout: .seconds(15))
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` to the processes serving connections (sshd forks them from the listener,
    /// which keeps accepting): SIGKILL drops every connection, SIGSTOP freezes them.
    func signalConnections(_ signal: Int32) {
        for pid in Self.descendants(of: server.processIdentifier) { kill(pid, signal) }
    }

    deinit {
        signalConnections(SIGKILL)
        server.stop()
        try? FileManager.default.removeItem(atPath: "\(home)/\(runFolder)")
    }

    /// Every process below `root`, from /proc (`pid (comm) state ppid …` in each `stat`).
    private static func descendants(of root: pid_t) -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ", options: .backwards)
            else { continue }
            let fields = stat[afterName.upperBound...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        var found: [pid_t] = []
        var frontier = [root]
        while let parent = frontier.popLast() {
            let children = parents.filter { $0.value == parent }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    /// Creates the user if absent and sets the shared password; returns both with the home.
    private static func prepareAccount() async throws -> Account {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") else {
            throw TestServerError(description: "/usr/sbin/sshd missing: run scripts/install-deps")
        }
        // sshd refuses to start without its privilege separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        if (try? await ChildProcess.output(of: ["id", "-u", user])) == nil {
            // Another test process may create it at the same moment: only the user's absence
            // afterwards is an error.
            _ = try? await ChildProcess.output(of: ["useradd", "-m", "-s", "/usr/sbin/nologin", user])
        }
        let entry = try await ChildProcess.output(of: ["getent", "passwd", user])
            .trimmingCharacters(in: .newlines).split(separator: ":", omittingEmptySubsequences: false)
        guard entry.count > 6 else { throw TestServerError(description: "no passwd entry for \(user)") }
        if entry[6] != "/usr/sbin/nologin" {
            _ = try await ChildProcess.output(of: ["usermod", "-s", "/usr/sbin/nologin", user])
        }
        let password = try sharedPassword()
        _ = try await ChildProcess.output(of: ["chpasswd"], input: "\(user):\(password)\n")
        return Account(home: String(entry[5]), password: password)
    }

    /// The account's password: read from its root-only file, or made up and linked into place
    /// (`link` fails if another process got there first, whose password then wins).
    private static func sharedPassword() throws -> String {
        let folder = "/var/lib/tessera-sftp-test"
        let path = "\(folder)/password"
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), !existing.isEmpty {
            return existing
        }
        let candidate = "\(path).\(UUID().uuidString)"
        guard
            FileManager.default.createFile(
                atPath: candidate, contents: Data("pw-\(UUID().uuidString)".utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw TestServerError(description: "cannot write \(candidate)") }
        defer { unlink(candidate) }
        _ = link(candidate, path)
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
