import Foundation

@testable import WebRTCTransport

/// SplitMix64: a small deterministic generator, so loss patterns repeat from a seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// A client and a server endpoint joined in memory. Every datagram in flight passes
/// `shouldDrop`, so a test can lose packets deterministically. Time is the real clock, which
/// OpenSSL's retransmission timer reads.
final class DTLSMemoryLink {
    enum Side { case client, server }

    let client: DTLSEndpoint
    let server: DTLSEndpoint
    /// Everything but `.send`, in the order each side reported it.
    private(set) var clientEvents: [DTLSOutput] = []
    private(set) var serverEvents: [DTLSOutput] = []
    private(set) var sent = 0
    private(set) var largestDatagram = 0
    private(set) var dropped = 0
    /// Datagrams sent because a retransmission timer fired.
    private(set) var retransmitted = 0
    /// Sees each datagram with the side that sent it and its index among all datagrams sent.
    var shouldDrop: (_ from: Side, _ index: Int, _ datagram: [UInt8]) -> Bool = { _, _, _ in false }

    private var toServer: [[UInt8]] = []
    private var toClient: [[UInt8]] = []

    init(client: DTLSEndpoint, server: DTLSEndpoint) {
        self.client = client
        self.server = server
    }

    /// Starts both sides and passes datagrams and timer ticks until neither is handshaking, or
    /// the time limit passes.
    func runHandshake(timeLimit: Duration = .seconds(10)) {
        route(client.start(at: .now), from: .client)
        route(server.start(at: .now), from: .server)
        run(
            until: { [client, server] in client.state != .handshaking && server.state != .handshaking },
            timeLimit: timeLimit)
    }

    /// Passes datagrams in flight, then ticks timers, until `done` or the time limit.
    func run(until done: () -> Bool, timeLimit: Duration = .seconds(10)) {
        let end = ContinuousClock.now + timeLimit
        while !done(), ContinuousClock.now < end {
            if deliverInFlight() { continue }
            let deadlines = [client.retransmitDeadline, server.retransmitDeadline].compactMap { $0 }
            guard let next = deadlines.min() else { return }
            let wait = min(next, end) - ContinuousClock.now
            if wait > .zero {
                Thread.sleep(
                    forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) * 1e-18)
            }
            let before = sent
            route(client.tick(at: .now), from: .client)
            route(server.tick(at: .now), from: .server)
            retransmitted += sent - before
        }
    }

    /// Sends outputs of `side` directly, without loss, as a test's own input.
    func route(_ outputs: [DTLSOutput], from side: Side) {
        for output in outputs {
            guard case .send(let datagram) = output else {
                if side == .client { clientEvents.append(output) } else { serverEvents.append(output) }
                continue
            }
            defer { sent += 1 }
            largestDatagram = max(largestDatagram, datagram.count)
            if shouldDrop(side, sent, datagram) {
                dropped += 1
            } else if side == .client {
                toServer.append(datagram)
            } else {
                toClient.append(datagram)
            }
        }
    }

    /// Delivers what is in flight; false when nothing was.
    private func deliverInFlight() -> Bool {
        guard !toServer.isEmpty || !toClient.isEmpty else { return false }
        let forServer = toServer
        let forClient = toClient
        toServer = []
        toClient = []
        for datagram in forServer { route(server.handle(datagram: datagram, at: .now), from: .server) }
        for datagram in forClient { route(client.handle(datagram: datagram, at: .now), from: .client) }
        return true
    }
}

extension DTLSMemoryLink {
    /// The keys each side reported with `.connected`.
    var clientKeys: DTLSSRTPKeys? { Self.keys(in: clientEvents) }
    var serverKeys: DTLSSRTPKeys? { Self.keys(in: serverEvents) }

    private static func keys(in events: [DTLSOutput]) -> DTLSSRTPKeys? {
        for case .connected(let keys) in events { return keys }
        return nil
    }
}
