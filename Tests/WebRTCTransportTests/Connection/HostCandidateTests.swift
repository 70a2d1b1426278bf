import SDP
import Testing
@testable import WebRTCTransport

/// Host candidates of a socket bound to the wildcard address: one per interface address.
@Suite struct HostCandidateTests {
    typealias Entry = InterfaceAddresses.Entry

    static func v6(_ high: UInt64, _ low: UInt64 = 1) -> TransportAddress.IP { .v6(high: high, low: low) }

    @Test func interfaceAddressesSkipLoopbackDownLinkLocalAndOtherFamily() {
        let entries = [
            Entry(address: .v4(0x7F00_0001), isUp: true, isLoopback: true),  // 127.0.0.1
            Entry(address: Self.v6(0, 1), isUp: true, isLoopback: true),  // ::1
            Entry(address: .v4(0xC000_0202), isUp: true, isLoopback: false),  // 192.0.2.2
            Entry(address: Self.v6(0xFD00_0000_0000_0000, 2), isUp: true, isLoopback: false),  // fd00::2
            Entry(address: Self.v6(0xFE80_0000_0000_0000, 0xFC_00FF_FE00_0001), isUp: true, isLoopback: false),  // fe80::
            Entry(address: .v4(0x0A00_0005), isUp: false, isLoopback: false),  // 10.0.0.5, down
            Entry(address: .v4(0xA9FE_60DD), isUp: true, isLoopback: false),  // 169.254.96.221
            Entry(address: .v4(0xC000_0202), isUp: true, isLoopback: false),  // listed twice
        ]
        #expect(InterfaceAddresses.hostCandidateAddresses(of: entries, ipv6: false) == [.v4(0xC000_0202), .v4(0xA9FE_60DD)])
        #expect(InterfaceAddresses.hostCandidateAddresses(of: entries, ipv6: true) == [Self.v6(0xFD00_0000_0000_0000, 2)])
    }

    /// An ICE check from `remoteUfrag`'s side to our answer's credentials.
    static func check(answer: SessionDescription, remoteUfrag: String = "janU", seed: UInt64) throws -> [UInt8] {
        let ufrag = try #require(answer.media[0].iceUfrag)
        let password = try #require(answer.media[0].icePassword)
        var random = ICERandom.seeded(seed)
        return STUNMessage(
            messageClass: .request, transactionID: STUNTransactionID(using: &random),
            attributes: [.username("\(ufrag):\(remoteUfrag)"), .priority(1_853_824_767), .iceControlling(42)]
        ).encoded(integrityKey: Array(password.utf8))
    }

    /// Each address is a host candidate, and a check is answered at whichever of them it arrived;
    /// one that arrived elsewhere is discarded and counted.
    @Test func checkIsAnsweredAtEachHostAddress() throws {
        let hosts = [
            TransportAddress(ip: .v4(0x0A00_0005), port: 42_000), TransportAddress(ip: .v4(0xC0A8_0105), port: 42_000),
        ]
        let core = try PeerConnectionCore(
            offer: SessionDescription(parsing: RenegotiationTests.first), hostAddresses: hosts,
            configuration: PeerConnectionConfiguration(bindAddress: "0.0.0.0", ports: 42_000...42_000),
            certificate: DTLSCertificate(), now: .now)
        let candidates = core.answer.media[0].candidates
        #expect(candidates.map(\.address) == ["10.0.0.5", "192.168.1.5"])
        #expect(candidates.map(\.type) == [.host, .host])
        #expect(candidates[0].priority > candidates[1].priority)
        _ = core.start(now: .now)

        let peer = TransportAddress(ip: .v4(0xC0A8_0109), port: 5000)
        let outputs = core.handle(datagram: try Self.check(answer: core.answer, seed: 1), from: peer, to: hosts[1], now: .now)
        let responses = try outputs.compactMap { output -> STUNMessage? in
            guard case .send(let bytes, let to) = output, to == peer else { return nil }
            return try STUNMessage(parsing: bytes)
        }
        #expect(responses.first?.messageClass == .successResponse)
        #expect(responses.first?.mappedAddress == peer)

        let garbage = core.counters.garbageDatagrams
        let elsewhere = TransportAddress(ip: .v4(0x0A00_0009), port: 42_000)
        _ = core.handle(datagram: try Self.check(answer: core.answer, seed: 2), from: peer, to: elsewhere, now: .now)
        #expect(core.counters.garbageDatagrams == garbage + 1)
    }

    /// Bound to 0.0.0.0: the candidates are this machine's interface addresses (never
    /// loopback) on the bound port. (That a check is answered at the host address it arrived
    /// at is `checkIsAnsweredAtEachHostAddress`, without sending to a non-loopback address.)
    @Test func wildcardBindOffersEveryInterfaceAddress() async throws {
        // Other tests add and remove veth interfaces meanwhile: the candidates lie between the
        // addresses present both before and after, and those present at either time.
        func interfaces() -> Set<String> {
            Set(InterfaceAddresses.hostCandidateAddresses(of: InterfaceAddresses.entries(), ipv6: false).map { TransportAddress(ip: $0, port: 0).host })
        }
        let before = interfaces()
        let connection = try await PeerConnection.answering(
            offer: RenegotiationTests.first,
            configuration: PeerConnectionConfiguration(bindAddress: "0.0.0.0", ports: 45_000...45_999))
        let after = interfaces()
        let candidates = connection.localCandidates
        #expect(Set(candidates.map(\.address)).isSuperset(of: before.intersection(after)))
        #expect(Set(candidates.map(\.address)).isSubset(of: before.union(after)))
        #expect(Set(candidates.map(\.address)).count == candidates.count)
        #expect(!candidates.contains { $0.address.hasPrefix("127.") })
        #expect(candidates.allSatisfy { $0.port == connection.localAddress.port && $0.type == .host })
        #expect(connection.answer.media[0].candidates == candidates)

        await connection.close()
    }
}
