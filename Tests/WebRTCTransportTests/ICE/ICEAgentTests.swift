import Testing
@testable import WebRTCTransport

private let addressA = TransportAddress(host: "10.0.0.1", port: 5000)!
private let addressB = TransportAddress(host: "10.0.0.2", port: 6000)!
private let credentialsA = ICEAgent.Credentials(usernameFragment: "aaaa", password: "passwordAAAAAAAAAAAAAAAA")
private let credentialsB = ICEAgent.Credentials(usernameFragment: "bbbb", password: "passwordBBBBBBBBBBBBBBBB")

private func agent(
    _ role: ICEAgent.Role, _ credentials: ICEAgent.Credentials, seed: UInt64,
    configure: (inout ICEAgent.Configuration) -> Void = { _ in }
) -> ICEAgent {
    var configuration = ICEAgent.Configuration(role: role, localCredentials: credentials)
    configuration.random = .seeded(seed)
    configure(&configuration)
    return ICEAgent(configuration: configuration)
}

private func hostCandidate(_ address: TransportAddress, preference: UInt16 = 65535) -> ICEAgent.Candidate {
    ICEAgent.Candidate(
        foundation: ICEAgent.Candidate.foundation(kind: .host, baseIP: address.ip),
        priority: ICEAgent.Candidate.priority(kind: .host, localPreference: preference), address: address, kind: .host)
}

/// Two agents that know each other's credentials and host candidates.
private func connectedPair(
    roles: (ICEAgent.Role, ICEAgent.Role) = (.controlling, .controlled), seeds: (UInt64, UInt64) = (1, 2)
) -> FakeNetwork {
    var a = agent(roles.0, credentialsA, seed: seeds.0)
    var b = agent(roles.1, credentialsB, seed: seeds.1)
    a.addLocalHostCandidate(addressA)
    b.addLocalHostCandidate(addressB)
    a.setRemoteCredentials(credentialsB)
    b.setRemoteCredentials(credentialsA)
    a.addRemoteCandidate(hostCandidate(addressB))
    b.addRemoteCandidate(hostCandidate(addressA))
    return FakeNetwork([a, b])
}

@Suite struct ICEAgentTests {
    @Test func candidateAndPairPriorities() {
        // 126 << 24 | 65535 << 8 | 255, the host priority browsers print.
        #expect(ICEAgent.Candidate.priority(kind: .host, localPreference: 65535) == 2_130_706_431)
        #expect(ICEAgent.Candidate.priority(kind: .peerReflexive, localPreference: 65535) == 1_862_270_975)
        #expect(ICEAgent.Candidate.priority(kind: .serverReflexive, localPreference: 10, component: 2) == 1_677_724_414)
        let pair = ICEAgent.CandidatePair(
            local: hostCandidate(addressA, preference: 1), remote: hostCandidate(addressB))
        let g = UInt64(ICEAgent.Candidate.priority(kind: .host, localPreference: 1))
        let d = UInt64(2_130_706_431)
        #expect(pair.priority(localRole: .controlling) == g << 32 + 2 * d)
        #expect(pair.priority(localRole: .controlled) == g << 32 + 2 * d + 1)
        #expect(ICEAgent.Candidate.foundation(kind: .host, baseIP: addressA.ip)
            == ICEAgent.Candidate.foundation(kind: .host, baseIP: TransportAddress(host: "10.0.0.1", port: 1)!.ip))
        #expect(ICEAgent.Candidate.foundation(kind: .host, baseIP: addressA.ip)
            != ICEAgent.Candidate.foundation(kind: .host, baseIP: addressB.ip))
    }

    @Test func twoAgentsSelectThePairBackToBack() {
        var network = connectedPair()
        network.startAll()
        network.run(until: .seconds(2))
        let expected = (local: addressA, remote: addressB)
        #expect(network.selectedPairs(of: 0).map { [$0.local.base, $0.remote.address] } == [[expected.local, expected.remote]])
        #expect(network.selectedPairs(of: 1).map { [$0.local.base, $0.remote.address] } == [[addressB, addressA]])
        #expect(network.agents[0].state == .connected && network.agents[1].state == .connected)
        // One check each way plus the nomination: done well within a second.
        #expect((network.firstTime(of: 1) { if case .selectedPair = $0 { true } else { false } } ?? .seconds(9)) < .milliseconds(200))
    }

    @Test func connectsThroughLossDelayAndADeadCandidate() {
        for seed in UInt64(1)...20 {
            var network = connectedPair(seeds: (seed, seed + 100))
            // A second host candidate of A's that nothing reaches, with the higher preference.
            let dead = TransportAddress(host: "10.9.9.9", port: 5000)!
            var a = agent(.controlling, credentialsA, seed: seed)
            a.addLocalHostCandidate(dead)
            a.addLocalHostCandidate(addressA)
            a.setRemoteCredentials(credentialsB)
            a.addRemoteCandidate(hostCandidate(addressB))
            network.agents[0] = a
            network.agents[1].addRemoteCandidate(hostCandidate(dead))
            network.random = .seeded(seed)
            network.lossRate = 0.3
            network.delay = 10...80
            network.filter = { $0.from != dead && $0.to != dead }
            network.startAll()
            network.run(until: .seconds(30))
            #expect(network.selectedPairs(of: 0).last?.local.base == addressA, "seed \(seed)")
            #expect(network.selectedPairs(of: 1).last?.remote.address == addressA, "seed \(seed)")
        }
    }

    @Test func controllingWaitsForABetterPendingPairBeforeNominating() {
        var network = connectedPair()
        let preferred = TransportAddress(host: "10.0.0.7", port: 5000)!
        var a = agent(.controlling, credentialsA, seed: 1)
        a.addLocalHostCandidate(preferred)
        a.addLocalHostCandidate(addressA)
        a.setRemoteCredentials(credentialsB)
        a.addRemoteCandidate(hostCandidate(addressB))
        network.agents[0] = a
        // The better pair answers later than the other one, but before the nomination delay.
        network.extraDelay = { $0.from == preferred || $0.to == preferred ? .milliseconds(100) : .zero }
        network.startAll()
        network.run(until: .seconds(3))
        #expect(network.selectedPairs(of: 0).map(\.local.base) == [preferred])
        #expect(network.selectedPairs(of: 1).map(\.remote.address) == [preferred])
        let selectedAt = network.firstTime(of: 0) { if case .selectedPair = $0 { true } else { false } }
        #expect(selectedAt.map { $0 > .milliseconds(200) && $0 < .milliseconds(500) } == true)
    }

    @Test(arguments: [ICEAgent.Role.controlling, .controlled])
    func roleConflictIsResolved(role: ICEAgent.Role) {
        var network = connectedPair(roles: (role, role))
        network.startAll()
        network.run(until: .seconds(5))
        let changes = network.events.compactMap { event -> Int? in
            if case .roleChanged = event.output { event.agent } else { nil }
        }
        // Exactly one agent changes role: the smaller tie-breaker yields control, the larger
        // takes it.
        let tieBreakers = network.agents.map(\.tieBreaker)
        let smaller = tieBreakers[0] < tieBreakers[1] ? 0 : 1
        #expect(changes == [role == .controlling ? smaller : 1 - smaller])
        #expect(network.agents[0].role != network.agents[1].role)
        #expect(network.selectedPairs(of: 0).last?.remote.address == addressB)
        #expect(network.selectedPairs(of: 1).last?.remote.address == addressA)
    }

    @Test func trickledCandidateAfterStartAndPeerReflexiveLearning() {
        var network = connectedPair()
        // A knows no candidate of B's yet; B's checks reach A first, then B's candidate trickles.
        var a = agent(.controlling, credentialsA, seed: 1)
        a.addLocalHostCandidate(addressA)
        a.setRemoteCredentials(credentialsB)
        network.agents[0] = a
        network.startAll()
        network.run(until: .milliseconds(20))
        // Learned from B's check, as peer-reflexive with the PRIORITY B sent.
        #expect(network.agents[0].remoteCandidates.map(\.kind) == [.peerReflexive])
        #expect(network.agents[0].remoteCandidates.first?.priority
            == ICEAgent.Candidate.priority(kind: .peerReflexive, localPreference: 65535))
        network.agents[0].addRemoteCandidate(hostCandidate(addressB))
        network.agents[0].endOfRemoteCandidates()
        network.run(until: .seconds(3))
        #expect(network.agents[0].remoteCandidates.count == 1)
        #expect(network.selectedPairs(of: 0).last?.remote.address == addressB)
        #expect(network.selectedPairs(of: 1).last?.remote.address == addressA)
    }

    @Test func checkBeforeStartIsAnsweredAndItsSourceCheckedAtStart() {
        var network = connectedPair()
        network.agents[0] = {
            var a = agent(.controlling, credentialsA, seed: 1)
            a.addLocalHostCandidate(addressA)
            a.setRemoteCredentials(credentialsB)
            return a
        }()
        // Only B starts; its check reaches A, which answers while not started.
        network.record(network.agents[1].start(at: .zero), agent: 1)
        network.run(until: .milliseconds(100))
        #expect(network.agents[0].state == .new)
        #expect(network.agents[0].remoteCandidates.map(\.address) == [addressB])
        let started = network.agents[0].start(at: network.now)
        guard case .send(let bytes, addressA, addressB)? = started.first else {
            Issue.record("no triggered check at start: \(started)")
            return
        }
        #expect((try? STUNMessage(parsing: bytes))?.username == "bbbb:aaaa")
    }

    @Test func connectsOverIPv6() {
        let v6A = TransportAddress(host: "2001:db8::a", port: 5000)!
        let v6B = TransportAddress(host: "2001:db8::b", port: 6000)!
        var a = agent(.controlling, credentialsA, seed: 1)
        var b = agent(.controlled, credentialsB, seed: 2)
        a.addLocalHostCandidate(v6A)
        b.addLocalHostCandidate(v6B)
        a.setRemoteCredentials(credentialsB)
        b.setRemoteCredentials(credentialsA)
        a.addRemoteCandidate(hostCandidate(v6B))
        b.addRemoteCandidate(hostCandidate(v6A))
        var network = FakeNetwork([a, b])
        network.startAll()
        network.run(until: .seconds(2))
        #expect(network.selectedPairs(of: 0).map(\.remote.address) == [v6B])
        #expect(network.selectedPairs(of: 1).map(\.remote.address) == [v6A])
    }

    @Test func trickleOnlyAfterStart() {
        var a = agent(.controlling, credentialsA, seed: 1)
        var b = agent(.controlled, credentialsB, seed: 2)
        a.addLocalHostCandidate(addressA)
        b.addLocalHostCandidate(addressB)
        var network = FakeNetwork([a, b])
        network.startAll()
        network.run(until: .seconds(1))
        #expect(network.delivered == 0)
        network.agents[0].setRemoteCredentials(credentialsB)
        network.agents[1].setRemoteCredentials(credentialsA)
        network.agents[0].addRemoteCandidate(hostCandidate(addressB))
        network.run(until: .seconds(3))
        #expect(network.selectedPairs(of: 0).last?.remote.address == addressB)
        #expect(network.selectedPairs(of: 1).last?.remote.address == addressA)
    }

    @Test func worksAgainstALitePeer() {
        var a = agent(.controlling, credentialsA, seed: 7)
        a.addLocalHostCandidate(addressA)
        a.setRemoteCredentials(credentialsB)
        a.addRemoteCandidate(hostCandidate(addressB))
        var network = FakeNetwork([a], lite: LitePeer(address: addressB, credentials: credentialsB))
        network.startAll()
        network.run(until: .seconds(2))
        #expect(network.selectedPairs(of: 0).map(\.remote.address) == [addressB])
        #expect(network.lite?.nominatedFrom == addressA)
        // One ordinary check and one nomination.
        #expect(network.lite?.requestsAnswered == 2)
    }

    @Test func consentIsKeptThenLost() {
        var network = connectedPair()
        network.startAll()
        network.run(until: .seconds(60))
        #expect(network.agents[0].state == .connected)
        // Consent checks every 4 to 6 s, answered: about 12 in 60 s, from each side.
        let consentRequests = network.events.filter { event in
            guard event.agent == 0, event.time > .seconds(1), case .send(let bytes, _, _) = event.output else { return false }
            return (try? STUNMessage(parsing: bytes))?.messageClass == .request
        }
        #expect((10...15).contains(consentRequests.count))
        // The peer goes silent: consent is lost 30 s after the last answer, not before.
        let silentFrom = network.now
        network.filter = { $0.from != addressB }
        network.run(until: .seconds(120))
        let lost = network.firstTime(of: 0) { if case .consentLost = $0 { true } else { false } }
        #expect(lost != nil)
        if let lost {
            #expect(lost > silentFrom + .seconds(24) && lost <= silentFrom + .seconds(30))
        }
        #expect(network.agents[0].state == .failed)
        #expect(network.events.filter { $0.agent == 0 && $0.time > (lost ?? .zero) }.isEmpty)
    }

    @Test func timeoutErrorListsWhatWasTried() {
        var a = agent(.controlling, credentialsA, seed: 3) { $0.connectTimeout = .seconds(5) }
        a.addLocalHostCandidate(addressA)
        a.setRemoteCredentials(credentialsB)
        a.addRemoteCandidate(hostCandidate(TransportAddress(host: "10.0.0.3", port: 7000)!))
        a.addRemoteCandidate(hostCandidate(TransportAddress(host: "2001:db8::3", port: 7000)!))
        var network = FakeNetwork([a])
        network.startAll()
        network.run(until: .seconds(10))
        let failures = network.events.compactMap { event -> ICEAgent.Failure? in
            if case .failed(let failure) = event.output { failure } else { nil }
        }
        #expect(failures.count == 1)
        #expect(network.firstTime(of: 0) { if case .failed = $0 { true } else { false } } == .seconds(5))
        #expect(failures.first?.description == """
            ICE failed: no candidate pair was selected within 5.000 s
            role controlling; local ufrag aaaa; remote credentials ufrag bbbb; end-of-candidates not received
            local candidates: host 10.0.0.1:5000
            remote candidates: host 10.0.0.3:7000, host [2001:db8::3]:7000
            pair host 10.0.0.1:5000 -> host 10.0.0.3:7000: in progress, 1 check(s), awaiting a response to 5 request(s)
            """)
    }

    @Test func unansweredNominationFailsThePairWithoutSpinning() {
        var network = connectedPair()
        network.agents[0] = {
            var a = agent(.controlling, credentialsA, seed: 1) { $0.connectTimeout = .seconds(20) }
            a.addLocalHostCandidate(addressA)
            a.setRemoteCredentials(credentialsB)
            a.addRemoteCandidate(hostCandidate(addressB))
            return a
        }()
        network.filter = { (try? STUNMessage(parsing: $0.bytes))?.useCandidate != true }
        network.startAll()
        let steps = network.run(until: .seconds(60))
        // A handful of checks, 7 nomination requests, the timeout: nothing busy-loops.
        #expect(steps < 100)
        let failures = network.events.compactMap { event -> (Int, String)? in
            if case .failed(let failure) = event.output { (event.agent, failure.description) } else { nil }
        }
        #expect(failures.map(\.0) == [0, 1])
        #expect(failures.first?.1.hasSuffix("pair host 10.0.0.1:5000 -> host 10.0.0.2:6000: failed, 2 check(s), no response to 7 requests") == true)
        // The controlled side's own check worked, but the nomination never reached it.
        #expect(failures.last?.1.hasSuffix(
            "pair host 10.0.0.2:6000 -> host 10.0.0.1:5000: succeeded, 1 check(s), mapped address 10.0.0.2:6000, not nominated by the peer") == true,
            "\(failures.last?.1 ?? "")")
        #expect(network.selectedPairs(of: 0).isEmpty)
    }

    @Test func endOfCandidatesFailsAsSoonAsEveryPairFailed() {
        var a = agent(.controlling, credentialsA, seed: 3)
        a.addLocalHostCandidate(addressA)
        a.setRemoteCredentials(credentialsB)
        a.addRemoteCandidate(hostCandidate(TransportAddress(host: "10.0.0.3", port: 7000)!))
        a.endOfRemoteCandidates()
        var network = FakeNetwork([a])
        network.startAll()
        network.run(until: .seconds(30))
        let failure = network.events.compactMap { event -> String? in
            if case .failed(let failure) = event.output { failure.description } else { nil }
        }.first
        // 7 requests at 0, 0.5, 1.5, 3.1, 4.7, 6.3, 7.9 s; the last times out at 9.5 s.
        #expect(failure?.hasPrefix("ICE failed: every candidate pair failed after 9.500 s") == true)
        #expect(failure?.hasSuffix("pair host 10.0.0.1:5000 -> host 10.0.0.3:7000: failed, 1 check(s), no response to 7 requests") == true)
    }

    @Test func answersOnlyAuthenticatedChecks() throws {
        var b = agent(.controlled, credentialsB, seed: 2)
        b.addLocalHostCandidate(addressB)
        _ = b.start(at: .zero)
        let id = STUNTransactionID(hexBytes("00 11 22 33 44 55 66 77 88 99 aa bb"))!
        func check(password: String) -> [UInt8] {
            STUNMessage(messageClass: .request, transactionID: id, attributes: [
                .username("bbbb:aaaa"), .priority(1), .iceControlling(1),
            ]).encoded(integrityKey: Array(password.utf8))
        }
        let rejected = b.handle(datagram: check(password: "wrong"), from: addressA, to: addressB, at: .zero)
        guard case .send(let bytes, addressB, addressA)? = rejected.first else {
            Issue.record("no response: \(rejected)")
            return
        }
        #expect(try STUNMessage(parsing: bytes).errorCode?.code == 401)
        #expect(b.remoteCandidates.isEmpty)
        #expect(b.discardedMessages == 1)

        let accepted = b.handle(datagram: check(password: credentialsB.password), from: addressA, to: addressB, at: .zero)
        guard case .send(let okBytes, addressB, addressA)? = accepted.first else {
            Issue.record("no response: \(accepted)")
            return
        }
        let response = try STUNMessage(parsing: okBytes)
        #expect(response.messageClass == .successResponse)
        #expect(response.transactionID == id)
        #expect(response.mappedAddress == addressA)
        #expect(response.hasValidIntegrity(key: Array(credentialsB.password.utf8)))
        #expect(b.remoteCandidates.map(\.kind) == [.peerReflexive])
    }

    @Test func garbageNeverTrapsAndIsCounted() {
        var network = connectedPair()
        network.startAll()
        var random = ICERandom.seeded(99)
        for round in 0..<2000 {
            var bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0, bytes.count >= 20 {
                bytes[0] = 0x01
                bytes[1] = 0x01
                bytes.replaceSubrange(2..<8, with: STUNBytes.write(UInt16(bytes.count - 20)) + STUNBytes.write(STUNMessage.magicCookie))
            }
            _ = network.agents[0].handle(datagram: bytes, from: addressB, to: addressA, at: .zero)
        }
        #expect(network.agents[0].discardedMessages == 2000)
        network.run(until: .seconds(2))
        #expect(network.selectedPairs(of: 0).count == 1)
    }
}
