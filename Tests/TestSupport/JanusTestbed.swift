import Foundation

#if canImport(Glibc)
import Glibc

/// A Janus of its own for one test, from scripts/testbed: a network namespace with a veth
/// pair, Janus inside it, aiortc publishers in the root namespace. `stop()` ends every process
/// the test bed started and removes the namespace.
public final class JanusTestbed: @unchecked Sendable {
    /// A started `participant.py`.
    public struct Publisher: Sendable {
        public let process: ChildProcess
        public let output: URL

        public var log: String { (try? String(contentsOf: output.appendingPathExtension("log"), encoding: .utf8)) ?? "" }
    }

    /// Real peers need root (namespaces), Debian's Janus and aiortc.
    public static let isAvailable: Bool =
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/janus")
        && (try? ChildProcess(["python3", "-c", "import aiortc"]))?.wait(timeout: .seconds(20)) == .exited(0)

    /// Runs `body` with a started test bed and stops the bed afterwards, also when `body` throws.
    public static func with<Result: Sendable>(_ body: (JanusTestbed) async throws -> Result) async throws -> Result {
        let bed = try await JanusTestbed.start()
        do {
            let result = try await body(bed)
            await bed.stop()
            return result
        } catch {
            await bed.stop()
            throw error
        }
    }

    static let scripts = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/testbed")

    static func script(_ name: String) -> String { scripts.appendingPathComponent(name).path }

    public let name: String
    /// The root namespace's end of the veth pair: where participants and the bot bind.
    public let hostAddress: String
    public let janusAddress: String
    public let workdir: URL
    private var janusPID: String?
    private var publishers: [Publisher] = []
    private var stopped = false

    public var url: String { "ws://\(janusAddress):8188" }

    private init(name: String, hostAddress: String, janusAddress: String, workdir: URL) {
        self.name = name
        self.hostAddress = hostAddress
        self.janusAddress = janusAddress
        self.workdir = workdir
    }

    /// A namespace with Janus inside it, listening.
    static func start() async throws -> JanusTestbed {
        let name = "tsig-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        let workdir = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        let addresses = try await ChildProcess.output(of: [script("netns"), "up", name], timeout: .seconds(20))
            .split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard addresses.count == 2 else { throw ChildProcess.Failure(description: "netns up printed \(addresses)") }
        let bed = JanusTestbed(name: name, hostAddress: addresses[0], janusAddress: addresses[1], workdir: workdir)
        do {
            bed.janusPID = try await ChildProcess.output(
                of: [script("start-janus"), "--netns", name, "--address", bed.janusAddress,
                     "--workdir", workdir.appendingPathComponent("janus").path],
                timeout: .seconds(20)
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            await bed.stop()
            throw error
        }
        return bed
    }

    /// Starts an aiortc publisher; it joins, publishes for `seconds` and leaves on its own.
    /// `flashEvery` > 0 adds a white frame and a beep at the same media instant every that many
    /// seconds (see participant.py).
    public func publish(index: Int, codec: String, seconds: Double, joinDelay: Double = 0, flashEvery: Double = 0) throws -> Publisher {
        let output = workdir.appendingPathComponent("participant-\(index).json")
        let process = try ChildProcess(
            [
                "python3", Self.script("participant.py"), "--ws", url,
                "--index", String(index), "--codec", codec, "--seconds", String(seconds), "--join-delay", String(joinDelay),
                "--width", "320", "--height", "180", "--bind-address", hostAddress, "--flash-every", String(flashEvery),
            ],
            standardOutput: output.path, standardError: output.appendingPathExtension("log").path)
        let publisher = Publisher(process: process, output: output)
        publishers.append(publisher)
        return publisher
    }

    /// Stops Janus alone (the meeting server going away mid-meeting).
    public func stopJanus() async {
        guard let pid = janusPID else { return }
        janusPID = nil
        _ = try? await ChildProcess.output(of: [Self.script("stop-janus"), pid, "10"], timeout: .seconds(15))
    }

    /// Ends the publishers still running, Janus and the namespace (which also ends anything
    /// left inside it). Only the first call does anything.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        for publisher in publishers { publisher.process.stop(grace: .seconds(5)) }
        await stopJanus()
        _ = try? await ChildProcess.output(of: [Self.script("netns"), "down", name], timeout: .seconds(20))
        try? FileManager.default.removeItem(at: workdir)
    }

    public var janusLog: String {
        (try? String(contentsOf: workdir.appendingPathComponent("janus/janus.log"), encoding: .utf8)) ?? ""
    }
}
#endif
