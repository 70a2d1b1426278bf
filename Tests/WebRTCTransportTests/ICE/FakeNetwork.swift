@testable import WebRTCTransport

/// A deterministic network between ICE agents (and optionally an ICE-lite responder): what
/// one agent sends is delivered to whichever node owns the destination address, after a
/// seeded delay, unless the seeded loss or the test's filter drops it. Time is virtual and
/// jumps from event to event.
struct FakeNetwork {
    struct Datagram {
        var bytes: [UInt8]
        var from: TransportAddress
        var to: TransportAddress
        var deliverAt: Duration
    }

    var agents: [ICEAgent]
    var lite: LitePeer?
    var now: Duration = .zero
    var random = ICERandom.seeded(1)
    var lossRate = 0.0
    var delay: ClosedRange<Int> = 5...5
    /// Returns false for datagrams the test wants dropped.
    var filter: (Datagram) -> Bool = { _ in true }
    /// Added to the seeded delay, per datagram.
    var extraDelay: (Datagram) -> Duration = { _ in .zero }
    /// Every output of every agent, with its time and agent index.
    var events: [(time: Duration, agent: Int, output: ICEAgent.Output)] = []
    var delivered = 0
    private var inFlight: [Datagram] = []

    init(_ agents: [ICEAgent], lite: LitePeer? = nil) {
        self.agents = agents
        self.lite = lite
    }

    mutating func startAll() {
        for index in agents.indices { record(agents[index].start(at: now), agent: index) }
    }

    /// Runs until `time` (or until nothing is scheduled), at most `maxEvents` steps; returns
    /// the steps taken.
    @discardableResult
    mutating func run(until time: Duration, maxEvents: Int = 200_000) -> Int {
        var steps = 0
        for _ in 0..<maxEvents {
            steps += 1
            let nextTimer = agents.compactMap(\.nextTimeout).min()
            let nextDelivery = inFlight.map(\.deliverAt).min()
            guard let next = [nextTimer, nextDelivery].compactMap({ $0 }).min(), next <= time else { break }
            now = max(now, next)
            if let index = inFlight.firstIndex(where: { $0.deliverAt <= now }) {
                deliver(inFlight.remove(at: index))
            } else {
                for index in agents.indices where (agents[index].nextTimeout ?? time + .seconds(1)) <= now {
                    record(agents[index].tick(at: now), agent: index)
                }
            }
        }
        now = max(now, time)
        return steps
    }

    func selectedPairs(of agent: Int) -> [ICEAgent.CandidatePair] {
        events.compactMap { event in
            if event.agent == agent, case .selectedPair(let pair) = event.output { pair } else { nil }
        }
    }

    func firstTime(of agent: Int, where matches: (ICEAgent.Output) -> Bool) -> Duration? {
        events.first { $0.agent == agent && matches($0.output) }?.time
    }

    private mutating func deliver(_ datagram: Datagram) {
        delivered += 1
        if let owner = agents.firstIndex(where: { $0.localCandidates.contains { $0.address == datagram.to } }) {
            record(agents[owner].handle(datagram: datagram.bytes, from: datagram.from, to: datagram.to, at: now), agent: owner)
        } else if lite?.address == datagram.to, let reply = lite?.respond(to: datagram.bytes, from: datagram.from) {
            enqueue(Datagram(bytes: reply, from: datagram.to, to: datagram.from, deliverAt: now))
        }
    }

    mutating func record(_ outputs: [ICEAgent.Output], agent: Int) {
        for output in outputs {
            events.append((now, agent, output))
            if case .send(let bytes, let from, let to) = output {
                enqueue(Datagram(bytes: bytes, from: from, to: to, deliverAt: now))
            }
        }
    }

    private mutating func enqueue(_ datagram: Datagram) {
        var datagram = datagram
        guard filter(datagram), Double.random(in: 0..<1, using: &random) >= lossRate else { return }
        datagram.deliverAt = now + .milliseconds(Int.random(in: delay, using: &random)) + extraDelay(datagram)
        inFlight.append(datagram)
    }
}

/// An ICE-lite peer (RFC 8445 section 2.5): never checks, only answers checks signed with its
/// password, and takes the pair the controlling agent nominates.
struct LitePeer {
    var address: TransportAddress
    var credentials: ICEAgent.Credentials
    var requestsAnswered = 0
    var nominatedFrom: TransportAddress?

    mutating func respond(to bytes: [UInt8], from source: TransportAddress) -> [UInt8]? {
        guard let request = try? STUNMessage(parsing: bytes), request.messageClass == .request,
              request.hasValidIntegrity(key: Array(credentials.password.utf8)),
              request.username?.hasPrefix(credentials.usernameFragment + ":") == true else { return nil }
        requestsAnswered += 1
        if request.useCandidate { nominatedFrom = source }
        return STUNMessage(
            messageClass: .successResponse, transactionID: request.transactionID,
            attributes: [.xorMappedAddress(source)]
        ).encoded(integrityKey: Array(credentials.password.utf8))
    }
}
