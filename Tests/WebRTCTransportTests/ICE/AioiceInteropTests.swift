import Foundation
import Testing
@testable import WebRTCTransport

#if canImport(Glibc)
import Glibc

/// Our ICE agent against aioice (aiortc's ICE stack) over real UDP on 127.0.0.1, in both
/// roles: they select the same pair, carry a datagram each way over it, and answer each
/// other's consent checks. The peer is Peers/aioice_peer.py; credentials and candidates go
/// over its stdin/stdout. Every wait is bounded, and the script is always ended.
@Suite(.serialized) struct AioiceInteropTests {
    @Test(.timeLimit(.minutes(1)), arguments: [ICEAgent.Role.controlling, .controlled])
    func connectsToAioice(role: ICEAgent.Role) throws {
        let socket = try LoopbackUDPSocket()
        let peer = try ScriptPeer(script: "aioice_peer.py", arguments: ["--role", role == .controlling ? "controlled" : "controlling"])
        defer { peer.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = Duration.seconds(20)

        guard let hello = peer.waitForLine(until: clock.now + .seconds(10)),
              let helloJSON = try JSONSerialization.jsonObject(with: Data(hello.utf8)) as? [String: Any],
              let ufrag = helloJSON["ufrag"] as? String, let pwd = helloJSON["pwd"] as? String,
              let candidates = helloJSON["candidates"] as? [[String: Any]] else {
            Issue.record("aioice did not introduce itself; stderr: \(peer.stderrText())")
            return
        }
        let remoteAddresses = candidates.compactMap { entry -> TransportAddress? in
            guard let host = entry["host"] as? String, let port = entry["port"] as? Int else { return nil }
            return TransportAddress(host: host, port: UInt16(port))
        }
        #expect(remoteAddresses.count == 1)

        var configuration = ICEAgent.Configuration(role: role)
        configuration.consentInterval = .seconds(1)
        var agent = ICEAgent(configuration: configuration)
        let local = agent.addLocalHostCandidate(socket.address)
        agent.setRemoteCredentials(.init(usernameFragment: ufrag, password: pwd))
        for entry in candidates {
            guard let host = entry["host"] as? String, let port = entry["port"] as? Int,
                  let priority = entry["priority"] as? Int, let foundation = entry["foundation"] as? String,
                  let address = TransportAddress(host: host, port: UInt16(port)) else { continue }
            agent.addRemoteCandidate(.init(foundation: foundation, priority: UInt32(priority), address: address, kind: .host))
        }
        agent.endOfRemoteCandidates()
        let ours: [String: Any] = [
            "ufrag": agent.localCredentials.usernameFragment, "pwd": agent.localCredentials.password,
            "candidates": [["foundation": local.foundation, "priority": Int(local.priority),
                            "host": local.address.host, "port": Int(local.address.port)]],
        ]
        peer.writeLine(String(decoding: try JSONSerialization.data(withJSONObject: ours), as: UTF8.self))

        var outputs = agent.start(at: clock.now - start)
        var selected: ICEAgent.CandidatePair?
        var selectedAt: Duration?
        var peerEvents: [[String: Any]] = []
        var applicationData: [String] = []
        var requestsAfterSelection = 0
        var successesAfterSelection = 0
        var failure: String?

        while clock.now - start < deadline {
            for output in outputs {
                switch output {
                case .send(let bytes, _, let to): socket.send(bytes, to: to)
                case .selectedPair(let pair):
                    selected = pair
                    selectedAt = clock.now - start
                case .failed(let error): failure = error.description
                case .consentLost(let pair): failure = "consent lost on \(pair)"
                case .roleChanged: break
                }
            }
            outputs = []
            if failure != nil || peerEvents.contains(where: { $0["event"] as? String == "error" }) { break }
            let now = clock.now - start
            if let selectedAt, now > selectedAt + .milliseconds(6500),
               peerEvents.contains(where: { $0["event"] as? String == "received" }) { break }

            let wait = agent.nextTimeout.map { max($0 - now, .zero) } ?? .milliseconds(20)
            let readable = poll([socket.descriptor, peer.stdoutDescriptor], timeout: min(wait, .milliseconds(20)))
            if readable.contains(socket.descriptor) {
                while let (bytes, from) = socket.receive() {
                    guard DatagramKind(classifying: bytes) == .stun else {
                        applicationData.append(String(decoding: bytes, as: UTF8.self))
                        continue
                    }
                    if selected != nil, let message = try? STUNMessage(parsing: bytes) {
                        if message.messageClass == .request { requestsAfterSelection += 1 }
                        if message.messageClass == .successResponse { successesAfterSelection += 1 }
                    }
                    outputs += agent.handle(datagram: bytes, from: from, to: socket.address, at: clock.now - start)
                }
            }
            for line in peer.readLines() {
                if let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                    peerEvents.append(event)
                }
            }
            if let selected, applicationData.contains("ping-from-aioice"),
               !peerEvents.contains(where: { $0["event"] as? String == "received" }), applicationData.count == 1 {
                socket.send(Array("pong-from-tessera".utf8), to: selected.remote.address)
                applicationData.append("(answered)")
            }
            outputs += agent.tick(at: clock.now - start)
        }

        #expect(failure == nil, "\(failure ?? "")")
        let errors = peerEvents.filter { $0["event"] as? String == "error" }
        #expect(errors.isEmpty, "aioice: \(errors); stderr: \(peer.stderrText())")
        #expect(selected?.local.base == socket.address)
        #expect(selected?.remote.address == remoteAddresses.first)
        #expect(agent.state == .connected)
        let connected = peerEvents.first { $0["event"] as? String == "connected" }
        #expect(connected?["remote"] as? [AnyHashable] == [socket.address.host as AnyHashable, Int(socket.address.port) as AnyHashable])
        #expect(applicationData.first == "ping-from-aioice")
        #expect(peerEvents.first { $0["event"] as? String == "received" }?["data"] as? String == "pong-from-tessera")
        // Consent both ways: our 1 s checks answered, and aioice's (every 4 to 6 s) arrived.
        #expect(successesAfterSelection >= 4)
        #expect(requestsAfterSelection >= 1)
    }
}

/// A UDP socket bound to an ephemeral port on 127.0.0.1, non-blocking.
final class LoopbackUDPSocket {
    let descriptor: Int32
    let address: TransportAddress

    struct SocketError: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(description: "socket: errno \(errno)") }
        self.descriptor = descriptor
        var bound = Self.socketAddress(TransportAddress(ip: .v4(0x7F00_0001), port: 0))
        let bindResult = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bindResult == 0 else {
            close(descriptor)
            throw SocketError(description: "bind: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        address = TransportAddress(ip: .v4(0x7F00_0001), port: UInt16(bigEndian: bound.sin_port))
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8], to destination: TransportAddress) {
        var target = Self.socketAddress(destination)
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// One waiting datagram, or nil when none is.
    func receive() -> ([UInt8], TransportAddress)? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        let from = TransportAddress(ip: .v4(UInt32(bigEndian: source.sin_addr.s_addr)), port: UInt16(bigEndian: source.sin_port))
        return (Array(buffer[0..<count]), from)
    }

    private static func socketAddress(_ address: TransportAddress) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = address.port.bigEndian
        if case .v4(let ip) = address.ip { result.sin_addr.s_addr = ip.bigEndian }
        return result
    }
}

/// The descriptors among `descriptors` that are readable within `timeout`.
func poll(_ descriptors: [Int32], timeout: Duration) -> Set<Int32> {
    var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    guard Glibc.poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return [] }
    return Set(fds.filter { $0.revents & Int16(POLLIN | POLLHUP) != 0 }.map(\.fd))
}

/// A Python script from Peers/ talking JSON lines over stdin/stdout.
final class ScriptPeer {
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private var pending = [UInt8]()

    var stdoutDescriptor: Int32 { stdout.fileHandleForReading.fileDescriptor }

    init(script: String, arguments: [String]) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/\(script)").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let fd = stdoutDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func writeLine(_ line: String) {
        try? stdin.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Complete lines that have arrived so far.
    func readLines() -> [String] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(stdoutDescriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            pending += chunk[0..<count]
        }
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }

    func waitForLine(until deadline: ContinuousClock.Instant) -> String? {
        while ContinuousClock.now < deadline {
            if let line = readLines().first { return line }
            _ = poll([stdoutDescriptor], timeout: .milliseconds(50))
            if !process.isRunning, readLines().isEmpty { return nil }
        }
        return nil
    }

    func stderrText() -> String {
        guard !process.isRunning else { return "(still running)" }
        return String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Asks the script to end, then terminates and finally kills it; waits at most ~4 s.
    func stop() {
        writeLine("bye")
        try? stdin.fileHandleForWriting.close()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(3)
        while process.isRunning, clock.now < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        let killAt = clock.now + .seconds(1)
        while process.isRunning, clock.now < killAt { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
#endif
