import SDP
import Testing

@Suite struct ICECandidateTests {
    @Test func trickledJanusCandidate() throws {
        // As Janus trickles it over the WebSocket (transcript, t=0.027).
        let candidate = try ICECandidate(parsing: "candidate:1 1 udp 2015363583 127.0.0.1 20625 typ host")
        #expect(
            candidate
                == ICECandidate(
                    foundation: "1", component: 1, transport: "udp", priority: 2_015_363_583, address: "127.0.0.1",
                    port: 20625,
                    type: .host))
        #expect(candidate.signalingString == "candidate:1 1 udp 2015363583 127.0.0.1 20625 typ host")
    }

    @Test func withAttributePrefixAndLineBreak() throws {
        let candidate = try ICECandidate(
            parsing:
                "a=candidate:842163049 1 udp 1677729535 203.0.113.9 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK3d network-cost 999\r\n"
        )
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.relatedAddress == "0.0.0.0")
        #expect(candidate.relatedPort == 0)
        #expect(candidate.generation == 0)
        #expect(
            candidate.extensions == [
                ICECandidate.Extension(name: "ufrag", value: "sK3d"),
                ICECandidate.Extension(name: "network-cost", value: "999"),
            ])
        #expect(
            candidate.attributeValue
                == "842163049 1 udp 1677729535 203.0.113.9 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sK3d network-cost 999"
        )
    }

    @Test func tcpRelayAndMDNSCandidates() throws {
        let tcp = try ICECandidate(parsing: "candidate:2 1 TCP 1518280447 192.0.2.10 9 typ host tcptype passive")
        #expect(tcp.transport == "TCP" && tcp.tcpType == "passive" && tcp.port == 9)
        let relay = try ICECandidate(
            parsing: "candidate:3 2 udp 41885439 198.51.100.4 3478 typ relay raddr 203.0.113.9 rport 50000")
        #expect(relay.component == 2 && relay.type == .relay && relay.relatedPort == 50000)
        let mdns = try ICECandidate(
            parsing: "candidate:4 1 udp 2122260223 6b2a1f7e-1c1d-4a44-9d2b-0a1b2c3d4e5f.local 55000 typ host")
        #expect(mdns.address == "6b2a1f7e-1c1d-4a44-9d2b-0a1b2c3d4e5f.local")
        let unknownType = try ICECandidate(parsing: "candidate:5 1 udp 1 192.0.2.1 1 typ future")
        #expect(unknownType.type.rawValue == "future")
    }

    @Test func errorsNameTheField() {
        let cases: [(String, ICECandidateParseError.Field, String?)] = [
            ("", .prefix, ""),
            ("end-of-candidates", .prefix, "end-of-candidate"),
            ("candidate:", .foundation, nil),
            ("candidate:1 x udp 1 192.0.2.1 1 typ host", .component, "x"),
            ("candidate:1 1 udp 99999999999 192.0.2.1 1 typ host", .priority, "99999999999"),
            ("candidate:1 1 udp 1 192.0.2.1 70000 typ host", .port, "70000"),
            ("candidate:1 1 udp 1 192.0.2.1 1 type host", .typeKeyword, "type"),
            ("candidate:1 1 udp 1 192.0.2.1 1 typ", .type, nil),
            ("candidate:1 1 udp 1 192.0.2.1 1 typ host rport x", .relatedPort, "x"),
            ("candidate:1 1 udp 1 192.0.2.1 1 typ host generation", .extensionValue, nil),
            ("candidate:1 1 udp 1 192.0.2.1 1 typ host generation -1", .generation, "-1"),
        ]
        for (text, field, value) in cases {
            #expect(throws: ICECandidateParseError(field: field, value: value, candidate: text)) {
                try ICECandidate(parsing: text)
            }
        }
    }

    @Test func everyPrefixOfARealCandidateParsesOrThrows() {
        let full =
            "a=candidate:2787345670 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.0.2.10 rport 54321 generation 0 network-id 1"
        var parsed = 0
        for length in 0...full.count {
            if let candidate = try? ICECandidate(parsing: String(full.prefix(length))) {
                parsed += 1
                #expect((try? ICECandidate(parsing: candidate.signalingString)) == candidate)
            }
        }
        // Complete after "typ s", "typ sr", ... and after each complete extension pair.
        #expect(parsed > 5)
    }
}
