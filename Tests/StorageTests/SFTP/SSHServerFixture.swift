import Foundation
import Testing

@testable import Storage

/// OpenSSH's sshd (Debian's `openssh-server`) on a free loopback port with a configuration,
/// host key, client keys and log of its own in a scratch folder; stopped and removed when the
/// value goes away.
///
/// Password authentication needs a real account, so the tests use a dedicated system user,
/// `tessera-sftp-test` (created with `useradd -m` if absent; it stays, as creating and removing
/// users under tests running in parallel would race). Its password is set once per test
/// process to a random value with `chpasswd`. Uploads go to a `run-<uuid>` folder in its home,
/// removed afterwards. Key authentication reads the scratch folder's `authorized_keys`. Needs
/// root (useradd, chpasswd, reading the uploaded files back).
final class SSHServerFixture: Sendable {
    static let user = "tessera-sftp-test"
    /// The account's password for this test process.
    static let password = "pw-\(UUID().uuidString)"
    private static let account = Result { try prepareAccount() }

    let port: Int
    let home: String
    /// A folder inside `home`, fresh for this server, that the test uploads into.
    let runFolder: String
    let hostKeyFingerprint: String
    let ed25519Key: String
    let ecdsaKey: String
    let logPath: String
    private let scratch: ScratchFolder
    private let server: ServerProcess

    init() async throws {
        home = try Self.account.get()
        scratch = try ScratchFolder()
        let folder = scratch.path
        // sshd reads authorized_keys as the user, so the folder must be readable by others.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        for (name, type) in [("host_key", "ed25519"), ("client_ed25519", "ed25519"), ("client_ecdsa", "ecdsa")] {
            _ = try Self.run(["ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f", "\(folder)/\(name)"])
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
        let listing = try Self.run(["ssh-keygen", "-lf", "\(folder)/host_key.pub"])
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

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: "\(home)/\(runFolder)")
    }

    /// Installs sshd if missing, creates the user if absent, sets its password; returns its home.
    private static func prepareAccount() throws -> String {
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") {
            _ = try run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "openssh-server"])
        }
        // sshd refuses to start without its privilege separation folder.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        if (try? run(["id", "-u", user])) == nil {
            _ = try run(["useradd", "-m", "-s", "/bin/sh", user])
        }
        _ = try run(["chpasswd"], input: "\(user):\(password)\n")
        let entry = try run(["getent", "passwd", user]).split(separator: ":", omittingEmptySubsequences: false)
        guard entry.count > 5 else { throw TestServerError(description: "no passwd entry for \(user)") }
        return String(entry[5])
    }

    /// Runs a command (at most two minutes) and returns its standard output; throws on failure.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["120"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerError(
                description: "\(arguments.first ?? "") exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
