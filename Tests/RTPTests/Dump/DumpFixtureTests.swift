import MediaTypes
import Testing
@testable import RTP

/// The captures of ffmpeg's RTP output made by scripts/make-pcap-fixtures.
@Suite("Dump fixtures")
struct DumpFixtureTests {
    struct Fixture: Sendable, CustomStringConvertible {
        var name: String
        /// What `tcpdump -r FILE | wc -l` (pcapng: `tshark -r`) counts.
        var packets: Int
        var rtpPort: UInt16
        var ssrc: UInt32
        var timescale: Int64
        var description: String { name }
    }

    static let fixtures = [
        Fixture(name: "vp8.pcap", packets: 66, rtpPort: 47004, ssrc: 0x5EED_0008, timescale: 1_000_000),
        Fixture(name: "h264.pcap", packets: 69, rtpPort: 47014, ssrc: 0x5EED_0264, timescale: 1_000_000_000),
        Fixture(name: "opus.pcap", packets: 102, rtpPort: 47024, ssrc: 0x5EED_0111, timescale: 1_000_000),
        Fixture(name: "opus.pcapng", packets: 204, rtpPort: 47024, ssrc: 0x5EED_0111, timescale: 1_000_000_000),
    ]

    @Test(arguments: fixtures)
    func readsEveryPacket(_ fixture: Fixture) throws {
        let (datagrams, counters, _) = try readDump(try DumpVectors.fixture(fixture.name))
        #expect(datagrams.count == fixture.packets)
        #expect(counters.records == fixture.packets)
        #expect(counters.datagrams == fixture.packets)
        #expect(counters.truncatedTailOffset == nil)
        for datagram in datagrams {
            #expect(datagram.source?.address == .v4(0x7F00_0001))
            #expect(datagram.destination?.address == .v4(0x7F00_0001))
            #expect(datagram.captureTime.timescale == fixture.timescale)
        }
        let rtp = datagrams.filter { $0.destination?.port == fixture.rtpPort }
        let rtcp = datagrams.filter { $0.destination?.port == fixture.rtpPort + 1 }
        #expect(rtp.count + rtcp.count == datagrams.count)
        #expect(rtcp.count >= 1)
        // RTP version 2, the SSRC the script gave ffmpeg; RTCP sender reports (type 200) with it.
        #expect(rtp.allSatisfy { $0.payload.count > 12 && $0.payload[0] >> 6 == 2 && ssrc(of: $0.payload, at: 8) == fixture.ssrc })
        #expect(rtcp.allSatisfy { $0.payload.count >= 28 && $0.payload[1] == 200 && ssrc(of: $0.payload, at: 4) == fixture.ssrc })
        // ffmpeg sends one stream in real time for 2 s; per interface, capture time never goes back.
        for interface in Set(datagrams.map(\.location.interfaceIndex)) {
            let times = datagrams.filter { $0.location.interfaceIndex == interface }.map(\.captureTime)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
            if let first = times.first, let last = times.last {
                #expect(last - first > .milliseconds(1_800) && last - first < .seconds(3))
                #expect(first > .seconds(1_700_000_000))
            }
        }
        // The script sets the first sequence number to 1000; packets are captured in order.
        let sequences = rtp.filter { $0.location.interfaceIndex == 0 }.map { UInt16($0.payload[2]) << 8 | UInt16($0.payload[3]) }
        #expect(sequences == Array(1000..<(1000 + UInt16(sequences.count))))
    }

    /// dumpcap captured the Opus stream on `lo` (Ethernet) and `any` (Linux cooked v1) at once.
    @Test func pcapngHoldsTheSamePacketsOnTwoInterfaces() throws {
        let (datagrams, _, _) = try readDump(try DumpVectors.fixture("opus.pcapng"))
        let byInterface = Dictionary(grouping: datagrams, by: \.location.interfaceIndex)
        #expect(byInterface.keys.sorted() == [0, 1])
        #expect(byInterface[0]?.map(\.payload) == byInterface[1]?.map(\.payload))
        #expect(byInterface[0]?.count == 102)
        let rtpPackets = try readDump(try DumpVectors.fixture("opus.pcap")).datagrams.filter { $0.destination?.port == 47024 }
        #expect(rtpPackets.count == 101)
    }

    /// Datagrams over IPv6 loopback captured on `any` as Linux cooked v2.
    @Test func ipv6OverLinuxCookedV2() throws {
        let file = try DumpVectors.fixture("ipv6-sll2.pcap")
        #expect(file[20..<24] == [0x14, 0x01, 0, 0])  // link type 276, little-endian
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<5).map { "tessera \($0)" })
        #expect(datagrams.allSatisfy { $0.source?.description == "[::1]:47045" && $0.destination?.description == "[::1]:47044" })
        #expect(counters.records == 5)
    }

    func ssrc(of packet: [UInt8], at offset: Int) -> UInt32 {
        packet[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
