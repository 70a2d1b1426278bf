import Foundation
import SDP
import Testing
@testable import WebRTCTransport

/// The connection's state machine without a socket.
@Suite struct PeerConnectionCoreTests {
    static let local = TransportAddress(ip: .v4(0x7F00_0001), port: 42_000)

    static func core() throws -> PeerConnectionCore {
        let offer = try SessionDescription(parsing: TrackRouterTests.offerText)
        return try PeerConnectionCore(
            offer: offer, hostAddresses: [local],
            configuration: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42_000...42_000),
            certificate: DTLSCertificate(), now: .now)
    }

    @Test func answerCarriesOurTransportAndAcceptsBothTracks() throws {
        let core = try Self.core()
        let answer = core.answer
        #expect(answer.media.map(\.port) == [9, 9])
        #expect(answer.media.map(\.setup) == [.active, .active])
        #expect(answer.media.map(\.direction) == [.receiveOnly, .receiveOnly])
        #expect(answer.media[0].candidates.map(\.address) == ["127.0.0.1"])
        #expect(answer.media[0].candidates.map(\.port) == [42_000])
        #expect(answer.media[0].rtpMaps.map(\.encodingName) == ["VP8", "rtx"])
        #expect(answer.bundleGroups.map(\.mids) == [["0", "1"]])
        #expect(core.tracks.map(\.id.rawValue) == ["0", "1"])
    }

    /// Janus' subscriber offer (the SDP module's fixture; credentials and fingerprint at session
    /// or media level, no candidates: they are trickled) is answered, and a trickled candidate
    /// is checked as soon as ICE starts.
    @Test func answersJanusSubscriberOfferAndChecksTrickledCandidate() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SDPTests/Fixtures/janus-subscriber-offer-vp8.sdp")
        let text = try String(contentsOf: fixture, encoding: .utf8)
            .replacingOccurrences(of: "<fingerprint>", with: (0..<32).map { _ in "AB" }.joined(separator: ":"))
            .replacingOccurrences(of: "<ufrag>", with: "janU")
            .replacingOccurrences(of: "<pwd>", with: "janusjanusjanusjanus22")
        let core = try PeerConnectionCore(
            offer: SessionDescription(parsing: text), hostAddresses: [Self.local],
            configuration: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42_000...42_000),
            certificate: DTLSCertificate(), now: .now)
        #expect(core.tracks.map(\.description) == ["video track mid 0", "audio track mid 1"])
        #expect(core.answer.media.map(\.port) == [9, 9])
        #expect(core.answer.media[0].extensionMaps.map(\.id).contains(4))
        let janus = TransportAddress(ip: .v4(0x7F00_0001), port: 5002)
        core.addRemoteCandidate(try SDP.ICECandidate(parsing: "candidate:1 1 udp 2130706431 127.0.0.1 5002 typ host"))
        let checks = core.start(now: .now).compactMap { output -> TransportAddress? in
            if case .send(let bytes, let to) = output, DatagramKind(classifying: bytes) == .stun { return to }
            return nil
        }
        #expect(checks == [janus])
    }

    @Test func rejectsOfferWithoutFingerprint() throws {
        let text = TrackRouterTests.offerText.split(separator: "\r\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("a=fingerprint") }.joined(separator: "\r\n")
        let offer = try SessionDescription(parsing: text)
        #expect(throws: PeerConnectionError.incompleteOffer(field: "a=fingerprint", reason: "missing")) {
            try PeerConnectionCore(
                offer: offer, hostAddresses: [Self.local],
                configuration: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42_000...42_000),
                certificate: DTLSCertificate(), now: .now)
        }
    }

    /// Seeded random datagrams of every first byte and length, before and while ICE runs:
    /// each is counted once by kind and none stops the connection.
    @Test func garbageDatagramsAreCountedNeverFatal() throws {
        let core = try Self.core()
        let peer = TransportAddress(ip: .v4(0x7F00_0001), port: 5000)
        _ = core.start(now: .now)
        var generator = SeededGenerator(seed: 3)
        var kinds: [DatagramKind: Int] = [:]
        var events: [PeerConnectionEvent] = []
        for _ in 0..<3000 {
            let length = Int.random(in: 0...1500, using: &generator)
            let datagram = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            kinds[DatagramKind(classifying: datagram), default: 0] += 1
            for case .event(let event) in core.handle(datagram: datagram, from: peer, now: .now) { events.append(event) }
        }
        let counters = core.counters
        #expect(counters.datagramsReceived == 3000)
        #expect(counters.stunDatagrams == kinds[.stun, default: 0])
        #expect(counters.dtlsDatagrams == kinds[.dtls, default: 0])
        // Random STUN-range bytes never authenticate; RTP-range ones arrive before any keys.
        #expect(counters.garbageDatagrams == 3000 - counters.dtlsDatagrams)
        #expect(events.isEmpty, "\(events)")
        #expect(counters.rtpPackets == 0)
    }
}
