import Testing
@testable import RTP

@Suite("Link layer, IP and UDP decoding of captured frames")
struct DatagramExtractionTests {
    let udp = DumpVectors.udp(sourcePort: 5004, destinationPort: 6004, payload: DumpVectors.rtpPayload)
    var ipv4: [UInt8] { DumpVectors.ipv4(payload: udp) }
    var ipv6: [UInt8] { DumpVectors.ipv6(payload: udp) }

    func extract(_ linkType: LinkType, _ frame: [UInt8], snapped: Bool = false) -> DatagramExtraction {
        DatagramExtraction(linkType: linkType, frame: frame[...], snapped: snapped)
    }

    func expectDatagram(
        _ result: DatagramExtraction, source: String, destination: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .datagram(let from, let to, let payload) = result else {
            Issue.record("expected a datagram, got \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(from.description == source, sourceLocation: sourceLocation)
        #expect(to.description == destination, sourceLocation: sourceLocation)
        #expect(Array(payload) == DumpVectors.rtpPayload, sourceLocation: sourceLocation)
    }

    func expectSkipped(
        _ result: DatagramExtraction, _ reason: DatagramSkipReason, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .skipped(let actual) = result else {
            Issue.record("expected skipped(\(reason)), got a datagram", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == reason, sourceLocation: sourceLocation)
    }

    @Test func ethernetIPv4AndIPv6() {
        expectDatagram(extract(.ethernet, DumpVectors.ethernet(etherType: 0x0800, payload: ipv4)),
                       source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        expectDatagram(extract(.ethernet, DumpVectors.ethernet(etherType: 0x86DD, payload: ipv6)),
                       source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
    }

    @Test func ethernetWithVLANTagsAndPadding() {
        // A minimum-size Ethernet frame pads a short packet; Total Length and UDP Length cut it off.
        let frame = DumpVectors.ethernet(etherType: 0x0800, vlanTags: 2, payload: ipv4, padding: 6)
        expectDatagram(extract(.ethernet, frame), source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        let tooManyTags = DumpVectors.ethernet(etherType: 0x0800, vlanTags: 5, payload: ipv4)
        expectSkipped(extract(.ethernet, tooManyTags), .malformed)
    }

    @Test func ethernetNonIPIsCounted() {
        expectSkipped(extract(.ethernet, DumpVectors.ethernet(etherType: 0x0806, payload: [UInt8](repeating: 0, count: 28))), .notIP)
        expectSkipped(extract(.ethernet, Array(DumpVectors.ethernet(etherType: 0x0800, payload: ipv4).prefix(13))), .malformed)
        expectSkipped(extract(.ethernet, Array(DumpVectors.ethernet(etherType: 0x0800, payload: ipv4).prefix(13)), snapped: true), .truncated)
    }

    @Test func linuxCookedVersions() {
        expectDatagram(extract(.linuxSLL, DumpVectors.linuxSLL(protocolType: 0x0800, payload: ipv4)),
                       source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        expectDatagram(extract(.linuxSLL, DumpVectors.linuxSLL(protocolType: 0x86DD, payload: ipv6)),
                       source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
        expectDatagram(extract(.linuxSLL2, DumpVectors.linuxSLL2(protocolType: 0x0800, payload: ipv4)),
                       source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        expectDatagram(extract(.linuxSLL2, DumpVectors.linuxSLL2(protocolType: 0x86DD, payload: ipv6)),
                       source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
        expectSkipped(extract(.linuxSLL2, DumpVectors.linuxSLL2(protocolType: 0x0806, payload: [1, 2, 3])), .notIP)
    }

    @Test func loopbackFamiliesInBothByteOrders() {
        for littleEndian in [false, true] {
            expectDatagram(extract(.null, DumpVectors.loopback(family: 2, littleEndian: littleEndian, payload: ipv4)),
                           source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
            for family: UInt32 in [10, 24, 28, 30] {
                expectDatagram(extract(.null, DumpVectors.loopback(family: family, littleEndian: littleEndian, payload: ipv6)),
                               source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
            }
        }
        // OpenBSD's loop link type is always network order.
        expectDatagram(extract(.loop, DumpVectors.loopback(family: 24, littleEndian: false, payload: ipv6)),
                       source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
        expectSkipped(extract(.loop, DumpVectors.loopback(family: 2, littleEndian: true, payload: ipv4)), .notIP)
        expectSkipped(extract(.null, DumpVectors.loopback(family: 7, littleEndian: true, payload: ipv4)), .notIP)
    }

    @Test func rawIPLinkTypes() {
        for linkType in [LinkType.rawIP, .rawIPLegacy, .rawIPOpenBSD, .ipv4] {
            expectDatagram(extract(linkType, ipv4), source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        }
        for linkType in [LinkType.rawIP, .rawIPLegacy, .rawIPOpenBSD, .ipv6] {
            expectDatagram(extract(linkType, ipv6), source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
        }
        expectSkipped(extract(.rawIP, [0x50, 0, 0, 0]), .notIP)
        expectSkipped(extract(.rawIP, []), .malformed)
        expectSkipped(extract(LinkType(rawValue: 127), ipv4), .unsupportedLinkType)
    }

    @Test func ipv4OptionsAndFragments() {
        let withOptions = DumpVectors.ipv4(options: [0x94, 0x04, 0, 0, 1, 1, 1, 0], payload: udp)
        expectDatagram(extract(.rawIP, withOptions), source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        // First fragment (more fragments set) and a later fragment (offset 185 * 8 bytes).
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(flagsAndOffset: 0x2000, payload: udp)), .fragment)
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(flagsAndOffset: 185, payload: udp)), .fragment)
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(protocolNumber: 6, payload: udp)), .notUDP)
    }

    @Test func ipv4LengthFields() {
        // Total Length 0: offloaded segment, the captured bytes are the packet.
        expectDatagram(extract(.rawIP, DumpVectors.ipv4(payload: udp, totalLength: 0)),
                       source: "10.0.0.1:5004", destination: "10.0.0.2:6004")
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(payload: udp, totalLength: 19)), .malformed)
        let long = DumpVectors.ipv4(payload: udp, totalLength: UInt16(20 + udp.count + 1))
        expectSkipped(extract(.rawIP, long), .malformed)
        expectSkipped(extract(.rawIP, long, snapped: true), .truncated)
        var badIHL = ipv4
        badIHL[0] = 0x44
        expectSkipped(extract(.ipv4, badIHL), .malformed)
        var badVersion = ipv4
        badVersion[0] = 0x55
        expectSkipped(extract(.ipv4, badVersion), .malformed)
    }

    @Test func udpLengthField() {
        let short = DumpVectors.udp(sourcePort: 1, destinationPort: 2, payload: DumpVectors.rtpPayload, lengthField: 7)
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(payload: short)), .malformed)
        let long = DumpVectors.udp(sourcePort: 1, destinationPort: 2, payload: DumpVectors.rtpPayload, lengthField: 100)
        expectSkipped(extract(.rawIP, DumpVectors.ipv4(payload: long)), .malformed)
        let cut = DumpVectors.ipv4(payload: long)
        expectSkipped(extract(.rawIP, cut, snapped: true), .truncated)
        // A shorter Length than the IP payload: the rest is not part of the datagram.
        let trailing = DumpVectors.udp(sourcePort: 1, destinationPort: 2, payload: DumpVectors.rtpPayload + [9, 9],
                                       lengthField: UInt16(8 + DumpVectors.rtpPayload.count))
        expectDatagram(extract(.rawIP, DumpVectors.ipv4(payload: trailing)), source: "10.0.0.1:1", destination: "10.0.0.2:2")
    }

    @Test func ipv6ExtensionHeaders() {
        let hopByHop: (type: UInt8, body: [UInt8]) = (0, [0, 0, 1, 4, 0, 0, 0, 0])
        let routing: (type: UInt8, body: [UInt8]) = (43, [0, 2, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 16))
        let destination: (type: UInt8, body: [UInt8]) = (60, [0, 0, 1, 4, 0, 0, 0, 0])
        let authentication: (type: UInt8, body: [UInt8]) = (51, [0, 4] + [UInt8](repeating: 0, count: 22))
        let packet = DumpVectors.ipv6(extensions: [hopByHop, routing, authentication, destination], payload: udp)
        expectDatagram(extract(.rawIP, packet), source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
    }

    @Test func ipv6Fragments() {
        let atomic: (type: UInt8, body: [UInt8]) = (44, [0, 0, 0, 0, 0, 0, 0, 7])
        expectDatagram(extract(.rawIP, DumpVectors.ipv6(extensions: [atomic], payload: udp)),
                       source: "[2001:db8::1]:5004", destination: "[2001:db8::2]:6004")
        let first: (type: UInt8, body: [UInt8]) = (44, [0, 0, 0, 1, 0, 0, 0, 7])
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(extensions: [first], payload: udp)), .fragment)
        let later: (type: UInt8, body: [UInt8]) = (44, [0, 0, 0x05, 0xC8, 0, 0, 0, 7])
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(extensions: [later], payload: udp)), .fragment)
    }

    @Test func ipv6OtherProtocolsAndDamage() {
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(protocolNumber: 58, payload: [128, 0, 0, 0])), .notUDP)
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(protocolNumber: 50, payload: udp)), .notUDP)
        let headerPastEnd: (type: UInt8, body: [UInt8]) = (60, [0, 9, 0, 0, 0, 0, 0, 0])
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(extensions: [headerPastEnd], payload: udp)), .malformed)
        let tooMany = [(type: UInt8, body: [UInt8])](repeating: (60, [0, 0, 1, 4, 0, 0, 0, 0]), count: 9)
        expectSkipped(extract(.rawIP, DumpVectors.ipv6(extensions: tooMany, payload: udp)), .malformed)
        var longPayload = ipv6
        longPayload[5] = longPayload[5] &+ 1
        expectSkipped(extract(.rawIP, longPayload), .malformed)
        expectSkipped(extract(.rawIP, longPayload, snapped: true), .truncated)
    }
}
