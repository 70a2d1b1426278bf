/// A full ICE agent (RFC 8445) for one component over UDP, in either role, as a sans-IO
/// state machine: the caller feeds it received datagrams and the passing of time, and carries
/// out what it returns (datagrams to send, the selected pair, failure). Time is a `Duration`
/// since any origin the caller picks, so tests run on a virtual clock.
///
/// What it does: pairs local host candidates with remote candidates (trickled at any time),
/// checks pairs in priority order paced by Ta with STUN retransmissions, answers the peer's
/// checks, learns peer-reflexive candidates, resolves role conflicts (487), nominates
/// (regular nomination when controlling, accepts USE-CANDIDATE when controlled), keeps
/// consent fresh on the selected pair (RFC 7675), and fails with a list of what was tried when
/// no pair works in time. Peers may be full or lite; a lite peer only answers.
public struct ICEAgent: Sendable {
    public struct Configuration: Sendable {
        public var role: Role
        /// Our ufrag and password; random ones when nil.
        public var localCredentials: Credentials?
        /// Pacing of new checks (RFC 8445 section 14.2).
        public var checkInterval: Duration = .milliseconds(50)
        /// First retransmission timeout of a check; it doubles up to `maxRetransmissionTimeout`.
        public var initialRetransmissionTimeout: Duration = .milliseconds(500)
        public var maxRetransmissionTimeout: Duration = .milliseconds(1600)
        /// Requests per check before the pair fails (RFC 8489's Rc).
        public var maxTransmissions = 7
        /// Controlling: how long after the first pair succeeds to wait for better pairs
        /// before nominating the best one (sooner when no better pair is still pending).
        public var nominationDelay: Duration = .milliseconds(500)
        /// No selected pair this long after `start` fails the agent.
        public var connectTimeout: Duration = .seconds(30)
        /// RFC 7675: a consent check about this often (randomized by +-20%) ...
        public var consentInterval: Duration = .seconds(5)
        /// ... and consent is lost when no check succeeded for this long.
        public var consentTimeout: Duration = .seconds(30)
        public var random: ICERandom = .system

        public init(role: Role, localCredentials: Credentials? = nil) {
            self.role = role
            self.localCredentials = localCredentials
        }
    }

    public enum Output: Sendable, Equatable {
        /// A datagram to send from the local address `from` (a host candidate) to `to`.
        case send([UInt8], from: TransportAddress, to: TransportAddress)
        /// Media goes over this pair from now on (sent again if the peer nominates a better one).
        case selectedPair(CandidatePair)
        /// A role conflict switched our role.
        case roleChanged(Role)
        /// No pair worked; the agent stops.
        case failed(Failure)
        /// The selected pair stopped answering consent checks for `consentTimeout`; the agent
        /// stops and media must not be sent any more.
        case consentLost(CandidatePair)
    }

    /// Why ICE failed, with each pair that was tried and what became of it.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public enum State: Sendable, Equatable {
        case new, checking, connected, failed
    }

    enum PairState: String, Sendable {
        case frozen, waiting, inProgress = "in progress", succeeded, failed
    }

    /// A pair on the checklist and how its checks went.
    struct Entry: Sendable {
        var pair: CandidatePair
        var state: PairState = .frozen
        var checksSent = 0
        /// The controlled side saw USE-CANDIDATE before its own check succeeded.
        var nominateOnSuccess = false
        /// What ended the last check, for the failure report.
        var outcome: String?

        var key: PairKey { PairKey(local: pair.local.base, remote: pair.remote.address) }
    }

    struct PairKey: Sendable, Hashable {
        var local: TransportAddress
        var remote: TransportAddress
    }

    struct Transaction: Sendable {
        enum Purpose: Sendable, Equatable {
            case check(useCandidate: Bool, role: Role)
            case consent
        }

        var key: PairKey
        var purpose: Purpose
        var bytes: [UInt8]
        var transmissions = 1
        var timeout: Duration
        var nextEvent: Duration
    }

    public private(set) var role: Role
    public let localCredentials: Credentials
    public private(set) var remoteCredentials: Credentials?
    public private(set) var localCandidates: [Candidate] = []
    public private(set) var remoteCandidates: [Candidate] = []
    public private(set) var state: State = .new
    public private(set) var selectedPair: CandidatePair?
    /// STUN datagrams dropped: unparsable, unauthenticated, or answering nothing we sent.
    public private(set) var discardedMessages = 0

    private let configuration: Configuration
    private var random: ICERandom
    /// Decides role conflicts: the larger one is controlling.
    let tieBreaker: UInt64
    /// The checklist, highest pair priority first.
    private var checklist: [Entry] = []
    private var triggeredQueue: [PairKey] = []
    private var transactions: [STUNTransactionID: Transaction] = [:]
    private var remoteEndOfCandidates = false
    private var peerReflexiveCount = 0

    private var startedAt: Duration?
    private var lastCheckSentAt: Duration?
    private var firstSuccessAt: Duration?
    private var nominating: PairKey?
    private var lastConsentAt: Duration?
    private var nextConsentAt: Duration?

    /// RFC 8445 section 6.1.2.5: at most this many pairs; the lowest-priority ones go.
    static let maxPairs = 100

    public init(configuration: Configuration) {
        self.configuration = configuration
        random = configuration.random
        role = configuration.role
        localCredentials = configuration.localCredentials ?? Credentials.random(using: &random)
        tieBreaker = random.next()
    }

    // MARK: Candidates and credentials

    /// Adds a host candidate on `address` (a local address the caller's socket is bound to).
    /// Earlier ones get the higher local preference.
    @discardableResult
    public mutating func addLocalHostCandidate(_ address: TransportAddress) -> Candidate {
        if let existing = localCandidates.first(where: { $0.address == address && $0.kind == .host }) { return existing }
        let preference = UInt16(clamping: 65535 - localCandidates.count)
        let candidate = Candidate(
            foundation: Candidate.foundation(kind: .host, baseIP: address.ip),
            priority: Candidate.priority(kind: .host, localPreference: preference), address: address, kind: .host)
        localCandidates.append(candidate)
        for remote in remoteCandidates { addPair(local: candidate, remote: remote) }
        return candidate
    }

    public mutating func setRemoteCredentials(_ credentials: Credentials) {
        remoteCredentials = credentials
    }

    /// A candidate from the peer's SDP or trickled later. Only component 1 is used.
    public mutating func addRemoteCandidate(_ candidate: Candidate) {
        guard candidate.component == 1, state != .failed,
              !remoteCandidates.contains(where: { $0.address == candidate.address }) else { return }
        var candidate = candidate
        candidate.base = candidate.address
        remoteCandidates.append(candidate)
        for local in localCandidates where local.kind == .host { addPair(local: local, remote: candidate) }
    }

    /// The peer signalled end-of-candidates: once every pair failed, ICE fails without
    /// waiting for the timeout.
    public mutating func endOfRemoteCandidates() {
        remoteEndOfCandidates = true
    }

    // MARK: Driving

    /// Starts connectivity checks (and the connect timeout) at `now`.
    public mutating func start(at now: Duration) -> [Output] {
        guard state == .new else { return [] }
        state = .checking
        startedAt = now
        return tick(at: now)
    }

    /// The earliest time `tick` has something to do, if any.
    public var nextTimeout: Duration? {
        guard state == .checking || state == .connected else { return nil }
        var times = transactions.values.map(\.nextEvent)
        if state == .checking {
            if let startedAt { times.append(startedAt + configuration.connectTimeout) }
            if remoteCredentials != nil, hasCheckToSend {
                times.append(lastCheckSentAt.map { $0 + configuration.checkInterval } ?? .zero)
            }
            if role == .controlling, nominating == nil, let firstSuccessAt,
               checklist.contains(where: { $0.state == .succeeded }) {
                times.append(firstSuccessAt + configuration.nominationDelay)
            }
        } else {
            if let nextConsentAt { times.append(nextConsentAt) }
            if let lastConsentAt { times.append(lastConsentAt + configuration.consentTimeout) }
        }
        return times.min()
    }

    /// Retransmits, sends the next check if pacing allows, nominates, keeps consent and
    /// checks the timeouts.
    public mutating func tick(at now: Duration) -> [Output] {
        var outputs: [Output] = []
        guard state == .checking || state == .connected else { return outputs }
        retransmit(at: now, into: &outputs)
        guard state == .checking || state == .connected else { return outputs }
        if state == .checking {
            nominateIfReady(at: now)
            sendNextCheck(at: now, into: &outputs)
            failIfHopeless(at: now, into: &outputs)
        } else {
            keepConsent(at: now, into: &outputs)
        }
        return outputs
    }

    /// Handles one datagram that arrived from `remote` on the local address `local`. Non-STUN
    /// datagrams are the caller's (see `DatagramKind`); they are counted and ignored here.
    public mutating func handle(
        datagram: [UInt8], from remote: TransportAddress, to local: TransportAddress, at now: Duration
    ) -> [Output] {
        guard state != .failed else { return [] }
        guard let message = try? STUNMessage(parsing: datagram), message.method == .binding,
              localCandidates.contains(where: { $0.kind == .host && $0.address == local }) else {
            discardedMessages += 1
            return []
        }
        var outputs: [Output] = []
        switch message.messageClass {
        case .request:
            handleRequest(message, from: remote, to: local, at: now, into: &outputs)
        case .successResponse, .errorResponse:
            handleResponse(message, from: remote, to: local, at: now, into: &outputs)
        case .indication:
            break
        }
        return outputs + tick(at: now)
    }

    // MARK: Checklist

    private mutating func addPair(local: Candidate, remote: Candidate) {
        guard local.address.isIPv6 == remote.address.isIPv6,
              !checklist.contains(where: { $0.key == PairKey(local: local.base, remote: remote.address) }) else { return }
        checklist.append(Entry(pair: CandidatePair(local: local, remote: remote)))
        sortChecklist()
        if checklist.count > Self.maxPairs {
            let dropped = checklist.removeLast()
            triggeredQueue.removeAll { $0 == dropped.key }
        }
    }

    private mutating func sortChecklist() {
        let role = self.role
        checklist.sort { $0.pair.priority(localRole: role) > $1.pair.priority(localRole: role) }
    }

    private func index(of key: PairKey) -> Int? {
        checklist.firstIndex { $0.key == key }
    }

    /// Whether a triggered check or an ordinary one (RFC 8445 section 6.1.4.2) is waiting.
    private var hasCheckToSend: Bool {
        !triggeredQueue.isEmpty || nextOrdinaryCheck() != nil
    }

    /// The highest-priority Waiting pair, else the highest-priority Frozen pair whose
    /// foundation has no pair Waiting or In Progress.
    private func nextOrdinaryCheck() -> Int? {
        if let waiting = checklist.firstIndex(where: { $0.state == .waiting }) { return waiting }
        return checklist.firstIndex { entry in
            entry.state == .frozen && !checklist.contains {
                $0.pair.foundation == entry.pair.foundation && ($0.state == .waiting || $0.state == .inProgress)
            }
        }
    }

    private mutating func sendNextCheck(at now: Duration, into outputs: inout [Output]) {
        guard remoteCredentials != nil else { return }
        if let last = lastCheckSentAt, now < last + configuration.checkInterval { return }
        var chosen: (index: Int, useCandidate: Bool)?
        while chosen == nil, !triggeredQueue.isEmpty {
            let key = triggeredQueue.removeFirst()
            if let index = index(of: key) { chosen = (index, key == nominating) }
        }
        if chosen == nil, let index = nextOrdinaryCheck() { chosen = (index, false) }
        guard let (index, useCandidate) = chosen else { return }
        checklist[index].state = .inProgress
        checklist[index].checksSent += 1
        lastCheckSentAt = now
        send(.check(useCandidate: useCandidate, role: role), on: checklist[index].key, at: now, into: &outputs)
    }

    /// Builds, records and emits a Binding request on the pair `key`.
    private mutating func send(
        _ purpose: Transaction.Purpose, on key: PairKey, at now: Duration, into outputs: inout [Output]
    ) {
        guard let remoteCredentials, let index = index(of: key) else { return }
        let local = checklist[index].pair.local
        var attributes: [STUNAttribute] = [
            .username(remoteCredentials.usernameFragment + ":" + localCredentials.usernameFragment),
            .priority(Candidate.priority(kind: .peerReflexive, localPreference: local.localPreference)),
            role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker),
        ]
        if purpose == .check(useCandidate: true, role: .controlling) { attributes.append(.useCandidate) }
        let id = STUNTransactionID(using: &random)
        let bytes = STUNMessage(messageClass: .request, transactionID: id, attributes: attributes)
            .encoded(integrityKey: Array(remoteCredentials.password.utf8))
        let timeout = configuration.initialRetransmissionTimeout
        transactions[id] = Transaction(key: key, purpose: purpose, bytes: bytes, timeout: timeout, nextEvent: now + timeout)
        outputs.append(.send(bytes, from: key.local, to: key.remote))
    }

    private mutating func retransmit(at now: Duration, into outputs: inout [Output]) {
        for (id, transaction) in transactions.sorted(by: { $0.value.nextEvent < $1.value.nextEvent })
        where transaction.nextEvent <= now {
            if transaction.transmissions < configuration.maxTransmissions {
                var next = transaction
                next.transmissions += 1
                next.timeout = min(next.timeout * 2, configuration.maxRetransmissionTimeout)
                next.nextEvent = now + next.timeout
                transactions[id] = next
                outputs.append(.send(next.bytes, from: next.key.local, to: next.key.remote))
                continue
            }
            transactions[id] = nil
            guard case .check = transaction.purpose, let index = index(of: transaction.key) else { continue }
            pairFailed(at: index, outcome: "no response to \(transaction.transmissions) requests")
        }
    }

    private mutating func pairFailed(at index: Int, outcome: String) {
        checklist[index].state = .failed
        checklist[index].outcome = outcome
        if checklist[index].key == nominating { nominating = nil }
    }

    // MARK: Incoming requests (RFC 8445 section 7.3)

    private mutating func handleRequest(
        _ request: STUNMessage, from remote: TransportAddress, to local: TransportAddress, at now: Duration,
        into outputs: inout [Output]
    ) {
        func respond(_ attributes: [STUNAttribute], error: Bool, signed: Bool) {
            let response = STUNMessage(
                messageClass: error ? .errorResponse : .successResponse, transactionID: request.transactionID,
                attributes: attributes)
            let key = signed ? Array(localCredentials.password.utf8) : nil
            outputs.append(.send(response.encoded(integrityKey: key), from: local, to: remote))
        }
        guard let username = request.username, request.attributes.contains(where: {
            if case .messageIntegrity = $0 { true } else { false }
        }) else {
            discardedMessages += 1
            return respond([.errorCode(code: 400, reason: "Bad Request")], error: true, signed: false)
        }
        guard username.split(separator: ":", maxSplits: 1).first.map(String.init) == localCredentials.usernameFragment,
              request.hasValidIntegrity(key: Array(localCredentials.password.utf8)) else {
            discardedMessages += 1
            return respond([.errorCode(code: 401, reason: "Unauthorized")], error: true, signed: false)
        }

        // Role conflict (section 7.3.1.1): the larger tie-breaker is controlling.
        if role == .controlling, let theirs = request.iceControlling {
            if tieBreaker >= theirs {
                return respond([.errorCode(code: 487, reason: "Role Conflict")], error: true, signed: true)
            }
            switchRole(to: .controlled, into: &outputs)
        } else if role == .controlled, let theirs = request.iceControlled {
            if tieBreaker < theirs {
                return respond([.errorCode(code: 487, reason: "Role Conflict")], error: true, signed: true)
            }
            switchRole(to: .controlling, into: &outputs)
        }

        respond([.xorMappedAddress(remote)], error: false, signed: true)

        // A source we have no candidate for is a peer-reflexive candidate (section 7.3.1.3).
        // Checks that arrive before `start` leave triggered checks for when it comes.
        if !remoteCandidates.contains(where: { $0.address == remote }) {
            peerReflexiveCount += 1
            let priority = request.priority ?? Candidate.priority(kind: .peerReflexive, localPreference: 65535)
            addRemoteCandidate(Candidate(
                foundation: "prflx\(peerReflexiveCount)", priority: priority, address: remote, kind: .peerReflexive))
        }
        let key = PairKey(local: local, remote: remote)
        guard let index = index(of: key) else { return }

        // Triggered check (section 7.3.1.4), unless the pair already works or is being checked.
        switch checklist[index].state {
        case .frozen, .waiting, .failed:
            if state != .connected {
                checklist[index].state = .waiting
                if !triggeredQueue.contains(key) { triggeredQueue.append(key) }
            }
        case .inProgress, .succeeded:
            break
        }

        // Nomination by the controlling peer (section 7.3.1.5).
        if role == .controlled, request.useCandidate {
            if checklist[index].state == .succeeded {
                nominate(index, at: now, into: &outputs)
            } else {
                checklist[index].nominateOnSuccess = true
            }
        }
    }

    private mutating func switchRole(to newRole: Role, into outputs: inout [Output]) {
        guard role != newRole else { return }
        role = newRole
        nominating = nil
        sortChecklist()
        outputs.append(.roleChanged(newRole))
    }

    // MARK: Responses to our requests (RFC 8445 section 7.2.5)

    private mutating func handleResponse(
        _ response: STUNMessage, from remote: TransportAddress, to local: TransportAddress, at now: Duration,
        into outputs: inout [Output]
    ) {
        guard let transaction = transactions[response.transactionID], let remoteCredentials else {
            discardedMessages += 1
            return
        }
        let signed = response.hasValidIntegrity(key: Array(remoteCredentials.password.utf8))
        // Success must be signed; an error may be unsigned (400, 401) but not wrongly signed.
        let hasIntegrity = response.attributes.contains { if case .messageIntegrity = $0 { true } else { false } }
        guard signed || (response.messageClass == .errorResponse && !hasIntegrity) else {
            discardedMessages += 1
            return
        }
        transactions[response.transactionID] = nil
        let symmetric = remote == transaction.key.remote && local == transaction.key.local

        guard case .check(let useCandidate, let roleAtSend) = transaction.purpose else {
            // A consent check: only a signed success from the right address refreshes consent.
            if symmetric, response.messageClass == .successResponse { lastConsentAt = now }
            return
        }
        guard let index = index(of: transaction.key) else { return }
        guard symmetric else {
            return pairFailed(at: index, outcome: "response from \(remote) to \(local), not symmetric")
        }
        if response.messageClass == .errorResponse {
            let error = response.errorCode
            if error?.code == 487 {
                // Section 7.2.5.1: take the other role (once) and check the pair again.
                if roleAtSend == role { switchRole(to: role == .controlling ? .controlled : .controlling, into: &outputs) }
                checklist[index].state = .waiting
                checklist[index].outcome = "role conflict (487)"
                if !triggeredQueue.contains(transaction.key) { triggeredQueue.append(transaction.key) }
                return
            }
            return pairFailed(
                at: index, outcome: "error \(error.map { "\($0.code) \($0.reason)" } ?? "response without ERROR-CODE")")
        }

        checklist[index].state = .succeeded
        checklist[index].outcome = response.mappedAddress.map { "mapped address \($0)" }
        if firstSuccessAt == nil { firstSuccessAt = now }
        // Section 7.2.5.3.3: pairs of the same foundation may go now.
        let foundation = checklist[index].pair.foundation
        for other in checklist.indices
        where checklist[other].state == .frozen && checklist[other].pair.foundation == foundation {
            checklist[other].state = .waiting
        }
        if (useCandidate && role == .controlling) || (role == .controlled && checklist[index].nominateOnSuccess) {
            nominate(index, at: now, into: &outputs)
        }
    }

    // MARK: Nomination and selection

    /// Controlling (section 8.1.1): nominate the best valid pair once no better pair is
    /// pending, or once `nominationDelay` has passed since the first success.
    private mutating func nominateIfReady(at now: Duration) {
        guard role == .controlling, nominating == nil, selectedPair == nil, let firstSuccessAt,
              let best = checklist.firstIndex(where: { $0.state == .succeeded }) else { return }
        let betterPending = checklist[..<best].contains { $0.state != .failed }
        guard !betterPending || now >= firstSuccessAt + configuration.nominationDelay else { return }
        let key = checklist[best].key
        nominating = key
        triggeredQueue.removeAll { $0 == key }
        triggeredQueue.insert(key, at: 0)
    }

    private mutating func nominate(_ index: Int, at now: Duration, into outputs: inout [Output]) {
        let pair = checklist[index].pair
        if let selectedPair, selectedPair.priority(localRole: role) >= pair.priority(localRole: role) { return }
        selectedPair = pair
        outputs.append(.selectedPair(pair))
        if state == .checking {
            state = .connected
            triggeredQueue.removeAll()
            lastConsentAt = now
            scheduleConsent(after: now)
        }
    }

    // MARK: Consent freshness (RFC 7675)

    private mutating func scheduleConsent(after now: Duration) {
        nextConsentAt = now + configuration.consentInterval * Double.random(in: 0.8...1.2, using: &random)
    }

    private mutating func keepConsent(at now: Duration, into outputs: inout [Output]) {
        guard let selectedPair, let lastConsentAt, let nextConsentAt else { return }
        if now >= lastConsentAt + configuration.consentTimeout {
            state = .failed
            transactions.removeAll()
            outputs.append(.consentLost(selectedPair))
            return
        }
        if now >= nextConsentAt {
            let key = PairKey(local: selectedPair.local.base, remote: selectedPair.remote.address)
            send(.consent, on: key, at: now, into: &outputs)
            scheduleConsent(after: now)
        }
    }

    // MARK: Failure

    private mutating func failIfHopeless(at now: Duration, into outputs: inout [Output]) {
        guard let startedAt else { return }
        let timedOut = now >= startedAt + configuration.connectTimeout
        let allFailed = remoteEndOfCandidates && !checklist.isEmpty && triggeredQueue.isEmpty
            && checklist.allSatisfy { $0.state == .failed }
        guard timedOut || allFailed else { return }
        outputs.append(.failed(failure(timedOut: timedOut, elapsed: now - startedAt)))
        state = .failed
        transactions.removeAll()
    }

    private func failure(timedOut: Bool, elapsed: Duration) -> Failure {
        func list(_ candidates: [Candidate]) -> String {
            candidates.isEmpty ? "none" : candidates.map { "\($0.kind.rawValue) \($0.address)" }.joined(separator: ", ")
        }
        let credentials = remoteCredentials.map { "ufrag \($0.usernameFragment)" } ?? "never received"
        let endOfCandidates = remoteEndOfCandidates ? "received" : "not received"
        var lines: [String] = [
            timedOut
                ? "ICE failed: no candidate pair was selected within \(Self.format(configuration.connectTimeout))"
                : "ICE failed: every candidate pair failed after \(Self.format(elapsed))",
            "role \(role.rawValue); local ufrag \(localCredentials.usernameFragment); "
                + "remote credentials \(credentials); end-of-candidates \(endOfCandidates)",
            "local candidates: \(list(localCandidates))",
            "remote candidates: \(list(remoteCandidates))",
        ]
        if checklist.isEmpty, !localCandidates.isEmpty, !remoteCandidates.isEmpty {
            lines.append("no candidate pairs (no remote candidate matched a local address family)")
        }
        for entry in checklist {
            var line = "pair \(entry.pair): \(entry.state.rawValue), \(entry.checksSent) check(s)"
            if let outcome = entry.outcome { line += ", \(outcome)" }
            if let pending = transactions.values.first(where: { $0.key == entry.key && $0.purpose != .consent }) {
                line += ", awaiting a response to \(pending.transmissions) request(s)"
            }
            if entry.state == .succeeded && role == .controlled { line += ", not nominated by the peer" }
            lines.append(line)
        }
        return Failure(description: lines.joined(separator: "\n"))
    }

    private static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }
}
