import SDP
import Testing
@testable import WebRTCTransport

/// A server-reflexive candidate from a configured STUN server, trickled after the answer.
@Suite struct ServerReflexiveCandidateTests {
    static let local = TransportAddress(ip: .v4(0x7F00_0001), port: 42_000)
    static let stunServer = TransportAddress(ip: .v4(0xC000_0201), port: 3478)
    /// What a NAT's outside would look like to the server.
    static let mapped = TransportAddress(ip: .v4(0xCB00_7107), port: 40_000)

    /// The candidate `mapped` gives a socket bound to `base`.
    static func candidate(base: TransportAddress) throws -> SDP.ICECandidate {
        let foundation = ICEAgent.Candidate.foundation(kind: .serverReflexive, baseIP: base.ip)
        return try SDP.ICECandidate(
            parsing: "candidate:\(foundation) 1 udp 1694498815 203.0.113.7 40000 typ srflx raddr 127.0.0.1 rport \(base.port)")
    }

    static func response(to request: STUNMessage, mapping address: TransportAddress = mapped) -> [UInt8] {
        STUNMessage(messageClass: .successResponse, transactionID: request.transactionID,
                    attributes: [.xorMappedAddress(address)]).encoded()
    }

    static func core(stunServer: TransportAddress, now: ContinuousClock.Instant) throws -> PeerConnectionCore {
        var configuration = PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42_000...42_000)
        configuration.stunServer = stunServer
        return try PeerConnectionCore(
            offer: SessionDescription(parsing: RenegotiationTests.first), hostAddresses: [local],
            configuration: configuration, certificate: DTLSCertificate(), now: now)
    }

    /// The Binding request goes out with ICE's start; the response becomes a `srflx` candidate
    /// event, then the end of candidates, and later answers carry both candidates.
    @Test func responseBecomesATrickledCandidate() throws {
        let start = ContinuousClock.now
        let core = try Self.core(stunServer: Self.stunServer, now: start)
        #expect(core.answer.media.map(\.endOfCandidates) == [false, false])
        let requests = core.start(now: start).compactMap { output -> [UInt8]? in
            if case .send(let bytes, let to) = output, to == Self.stunServer { bytes } else { nil }
        }
        #expect(requests.count == 1)
        let request = try STUNMessage(parsing: try #require(requests.first))
        #expect(request.messageClass == .request)

        let outputs = core.handle(
            datagram: Self.response(to: request), from: Self.stunServer, now: start + .milliseconds(30))
        let candidate = try Self.candidate(base: Self.local)
        #expect(RenegotiationTests.events(outputs) == [.localCandidate(candidate), .endOfLocalCandidates])
        #expect(core.counters.garbageDatagrams == 0)
        // Nothing more is sent to the server.
        let later = core.tick(now: start + .seconds(4)).filter {
            if case .send(_, let to) = $0 { to == Self.stunServer } else { false }
        }
        #expect(later.isEmpty)

        let (answer, _) = try core.renegotiate(offer: SessionDescription(parsing: RenegotiationTests.allLeft))
        #expect(answer.media[0].candidates.map(\.type) == [.host, .serverReflexive])
        #expect(answer.media[0].candidates.last == candidate)
        #expect(answer.media.map(\.endOfCandidates) == [true, true])
    }

    /// Without a NAT the server sees the host candidate itself: no new candidate, only the end.
    @Test func mappedHostAddressAddsNoCandidate() throws {
        let start = ContinuousClock.now
        let core = try Self.core(stunServer: Self.stunServer, now: start)
        let bytes = try #require(core.start(now: start).compactMap { output -> [UInt8]? in
            if case .send(let bytes, let to) = output, to == Self.stunServer { bytes } else { nil }
        }.first)
        let outputs = core.handle(
            datagram: Self.response(to: try STUNMessage(parsing: bytes), mapping: Self.local), from: Self.stunServer,
            now: start)
        #expect(RenegotiationTests.events(outputs) == [.endOfLocalCandidates])
    }

    /// A server that never answers: after the timeout the connection goes on with its host
    /// candidate and says why there is no other.
    @Test func silentServerEndsCandidatesAfterTheTimeout() throws {
        let start = ContinuousClock.now
        let core = try Self.core(stunServer: Self.stunServer, now: start)
        _ = core.start(now: start)
        #expect(RenegotiationTests.events(core.tick(now: start + .seconds(1))).isEmpty)
        #expect(RenegotiationTests.events(core.tick(now: start + .milliseconds(3100))) == [
            .serverReflexiveFailed(reason: "192.0.2.1:3478 did not answer (Binding requests sent: 2)"),
            .endOfLocalCandidates,
        ])
        #expect(RenegotiationTests.events(core.tick(now: start + .seconds(5))).isEmpty)
    }

    /// A STUN server written here on 127.0.0.1 with the project's STUN message type: the request
    /// comes from the media socket, and its answer arrives on `events` as a candidate to trickle.
    @Test func loopbackStunServer() async throws {
        let server = try UDPLoopbackSocket()
        var configuration = PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 44_000...44_999)
        configuration.stunServer = TransportAddress(ip: .v4(0x7F00_0001), port: server.port)
        // The answer must come in time even when the test machine is slow to run this test.
        configuration.stunTimeout = .seconds(60)
        let connection = try await PeerConnection.answering(offer: RenegotiationTests.first, configuration: configuration)
        let received = try #require(server.receive(timeout: .seconds(5)))
        #expect(received.port == connection.localAddress.port)
        let request = try STUNMessage(parsing: received.datagram)
        #expect(request.messageClass == .request && request.method == .binding)
        server.send(Self.response(to: request), to: received.port)

        var events: [PeerConnectionEvent] = []
        for await event in connection.events {
            events.append(event)
            if event == .endOfLocalCandidates { break }
        }
        await connection.close()
        #expect(events == [.localCandidate(try Self.candidate(base: connection.localAddress)), .endOfLocalCandidates])
    }
}
