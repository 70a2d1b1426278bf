import MediaTypes
import Testing
@testable import RTP

@Suite("pcap reader")
struct PcapReaderTests {
    let frame = DumpVectors.ethernet(
        etherType: 0x0800,
        payload: DumpVectors.ipv4(payload: DumpVectors.udp(sourcePort: 5004, destinationPort: 6004, payload: DumpVectors.rtpPayload)))

    @Test(arguments: [false, true], [false, true])
    func bothByteOrdersAndResolutions(littleEndian: Bool, nanoseconds: Bool) throws {
        let fraction: UInt32 = nanoseconds ? 123_456_789 : 123_456
        let file = DumpVectors.pcap(linkType: 1, littleEndian: littleEndian, nanoseconds: nanoseconds, records: [
            .init(seconds: 1_700_000_000, fraction: fraction, data: frame),
            .init(seconds: 1_700_000_001, fraction: 0, data: frame),
        ])
        let (datagrams, counters, reader) = try readDump(file)
        #expect(reader.format == .pcap)
        #expect(datagrams.count == 2)
        let timescale: Int64 = nanoseconds ? 1_000_000_000 : 1_000_000
        #expect(datagrams.first?.captureTime == MediaTime(value: 1_700_000_000 * timescale + Int64(fraction), timescale: timescale))
        #expect(datagrams.first?.captureTime.timescale == timescale)
        #expect(datagrams.last?.captureTime == .seconds(1_700_000_001))
        #expect(datagrams.first?.payload == DumpVectors.rtpPayload)
        #expect(datagrams.first?.source?.description == "10.0.0.1:5004")
        #expect(datagrams.first?.destination?.description == "10.0.0.2:6004")
        #expect(datagrams.map(\.location) == [
            DumpLocation(recordIndex: 0, fileOffset: 24),
            DumpLocation(recordIndex: 1, fileOffset: 24 + 16 + Int64(frame.count)),
        ])
        #expect(counters.records == 2)
        #expect(counters.datagrams == 2)
        #expect(counters.truncatedTailOffset == nil)
    }

    /// The file header's link type picks the frame decoder: one file per link type, each with an
    /// IPv4 and an IPv6 datagram (raw IPv4/IPv6 link types: the one that fits).
    @Test(arguments: [0, 1, 12, 14, 101, 108, 113, 228, 229, 276] as [UInt32])
    func everyLinkType(_ linkType: UInt32) throws {
        let v4 = DumpVectors.ipv4(payload: DumpVectors.udp(sourcePort: 5004, destinationPort: 6004, payload: DumpVectors.rtpPayload))
        let v6 = DumpVectors.ipv6(payload: DumpVectors.udp(sourcePort: 5006, destinationPort: 6006, payload: DumpVectors.rtpPayload))
        let v4Source = "10.0.0.1:5004", v6Source = "[2001:db8::1]:5006"
        let frames: [(bytes: [UInt8], source: String)] = switch linkType {
        case 0: [(DumpVectors.loopback(family: 2, littleEndian: true, payload: v4), v4Source),
                 (DumpVectors.loopback(family: 30, littleEndian: true, payload: v6), v6Source)]
        case 1: [(DumpVectors.ethernet(etherType: 0x0800, payload: v4), v4Source),
                 (DumpVectors.ethernet(etherType: 0x86DD, payload: v6), v6Source)]
        case 108: [(DumpVectors.loopback(family: 2, littleEndian: false, payload: v4), v4Source),
                   (DumpVectors.loopback(family: 24, littleEndian: false, payload: v6), v6Source)]
        case 113: [(DumpVectors.linuxSLL(protocolType: 0x0800, payload: v4), v4Source),
                   (DumpVectors.linuxSLL(protocolType: 0x86DD, payload: v6), v6Source)]
        case 276: [(DumpVectors.linuxSLL2(protocolType: 0x0800, payload: v4), v4Source),
                   (DumpVectors.linuxSLL2(protocolType: 0x86DD, payload: v6), v6Source)]
        case 228: [(v4, v4Source)]
        case 229: [(v6, v6Source)]
        default: [(v4, v4Source), (v6, v6Source)]
        }
        let records = frames.enumerated().map { DumpVectors.Record(seconds: UInt32($0.offset), fraction: 0, data: $0.element.bytes) }
        let (datagrams, counters, _) = try readDump(DumpVectors.pcap(linkType: linkType, littleEndian: linkType % 2 == 0, records: records))
        #expect(datagrams.map { $0.source?.description } == frames.map(\.source))
        #expect(datagrams.allSatisfy { $0.payload == DumpVectors.rtpPayload })
        #expect(counters.datagrams == frames.count)
    }

    @Test func skippedPacketsAreCounted() throws {
        let arp = DumpVectors.ethernet(etherType: 0x0806, payload: [UInt8](repeating: 0, count: 28))
        let tcp = DumpVectors.ethernet(etherType: 0x0800, payload: DumpVectors.ipv4(protocolNumber: 6, payload: [UInt8](repeating: 0, count: 20)))
        let fragment = DumpVectors.ethernet(etherType: 0x0800, payload: DumpVectors.ipv4(flagsAndOffset: 100, payload: [1, 2, 3, 4]))
        let file = DumpVectors.pcap(linkType: 1, littleEndian: true, records: [
            .init(seconds: 1, fraction: 0, data: arp),
            .init(seconds: 2, fraction: 0, data: tcp),
            .init(seconds: 3, fraction: 0, data: fragment),
            .init(seconds: 4, fraction: 0, data: Array(frame.prefix(40)), originalLength: UInt32(frame.count)),
            .init(seconds: 5, fraction: 0, data: Array(frame.prefix(40))),
            .init(seconds: 6, fraction: 0, data: frame),
        ])
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.map(\.captureTime) == [.seconds(6)])
        #expect(datagrams.first?.location.recordIndex == 5)
        #expect(counters.records == 6)
        #expect(counters.notIP == 1)
        #expect(counters.notUDP == 1)
        #expect(counters.fragments == 1)
        #expect(counters.truncated == 1)
        #expect(counters.malformed == 1)
        #expect(counters.datagrams == 1)
    }

    @Test func unsupportedLinkTypeCountsEveryPacket() throws {
        let file = DumpVectors.pcap(linkType: 147, littleEndian: false, records: [
            .init(seconds: 1, fraction: 0, data: frame), .init(seconds: 2, fraction: 0, data: frame),
        ])
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.isEmpty)
        #expect(counters.unsupportedLinkType == 2)
    }

    @Test func truncatedLastRecordEndsTheFileCleanly() throws {
        let file = DumpVectors.pcap(linkType: 1, littleEndian: true, records: [
            .init(seconds: 1, fraction: 0, data: frame), .init(seconds: 2, fraction: 0, data: frame),
        ])
        let secondRecord = Int64(24 + 16 + frame.count)
        for cut in [1, 15, 16, 17, frame.count + 15] {
            let (datagrams, counters, _) = try readDump(Array(file.dropLast(cut)))
            #expect(datagrams.count == 1)
            #expect(counters.truncatedTailOffset == secondRecord)
        }
        let (datagrams, counters, _) = try readDump(Array(file.dropLast(frame.count + 16)))
        #expect(datagrams.count == 1)
        #expect(counters.truncatedTailOffset == nil)
    }

    @Test func brokenFileHeaderAndRecordLengthThrow() {
        var file = DumpVectors.pcap(linkType: 1, littleEndian: true, records: [.init(seconds: 1, fraction: 0, data: frame)])
        #expect(throws: DumpError.malformed(format: .pcap, offset: 0, reason: "file header shorter than 24 bytes")) {
            try readDump(Array(file.prefix(23)))
        }
        var badVersion = file
        badVersion[4] = 1
        #expect(throws: DumpError.malformed(format: .pcap, offset: 4, reason: "major version 1, expected 2")) {
            try readDump(badVersion)
        }
        file[24 + 8 ..< 24 + 12] = [0, 0, 0, 0x10]  // captured length 0x10000000
        #expect(throws: DumpError.malformed(format: .pcap, offset: 32, reason: "record 0 claims 268435456 captured bytes")) {
            try readDump(file)
        }
    }
}
