import MediaTypes
import Testing
@testable import RTP

@Suite("pcapng reader")
struct PcapNGReaderTests {
    let ipv4 = DumpVectors.ipv4(payload: DumpVectors.udp(sourcePort: 5004, destinationPort: 6004, payload: DumpVectors.rtpPayload))
    let ipv6 = DumpVectors.ipv6(payload: DumpVectors.udp(sourcePort: 5006, destinationPort: 6006, payload: DumpVectors.rtpPayload))

    /// Two interfaces with different link types and resolutions: Ethernet in microseconds (the
    /// default), Linux cooked v2 in nanoseconds; packets interleaved; an unknown block between.
    func twoInterfaceFile(littleEndian le: Bool) -> [UInt8] {
        DumpVectors.sectionHeader(littleEndian: le)
            + DumpVectors.interfaceDescription(linkType: 1, littleEndian: le)
            + DumpVectors.interfaceDescription(linkType: 276, littleEndian: le, options: [(2, Array("any".utf8)), (9, [9])])
            + DumpVectors.enhancedPacket(interface: 0, ticks: 1_700_000_000_000_001,
                                         data: DumpVectors.ethernet(etherType: 0x0800, payload: ipv4), littleEndian: le)
            + DumpVectors.block(0x0000_0BAD, littleEndian: le) { $0.append([1, 2, 3, 4, 5]) }
            + DumpVectors.enhancedPacket(interface: 1, ticks: 1_700_000_000_000_002_000,
                                         data: DumpVectors.linuxSLL2(protocolType: 0x86DD, payload: ipv6), littleEndian: le)
    }

    @Test(arguments: [false, true])
    func twoInterfacesWithDifferentLinkTypes(littleEndian: Bool) throws {
        let (datagrams, counters, reader) = try readDump(twoInterfaceFile(littleEndian: littleEndian))
        #expect(reader.format == .pcapng)
        #expect(datagrams.count == 2)
        #expect(datagrams.map(\.location.interfaceIndex) == [0, 1])
        #expect(datagrams.first?.captureTime == MediaTime(value: 1_700_000_000_000_001, timescale: 1_000_000))
        #expect(datagrams.last?.captureTime == MediaTime(value: 1_700_000_000_000_002_000, timescale: 1_000_000_000))
        #expect(datagrams.first?.source?.description == "10.0.0.1:5004")
        #expect(datagrams.last?.source?.description == "[2001:db8::1]:5006")
        #expect(datagrams.allSatisfy { $0.payload == DumpVectors.rtpPayload })
        #expect(counters.records == 2)
        #expect(counters.skippedRecords == 1)
        #expect(datagrams.first?.location.fileOffset == Int64(28 + 20 + 40))
    }

    @Test func timestampResolutionAndOffsetOptions() throws {
        let le = true
        var offset = DumpByteWriter(littleEndian: le)
        offset.uint64(1_000)
        var negativeOffset = DumpByteWriter(littleEndian: le)
        negativeOffset.uint64(UInt64(bitPattern: -10))
        let file = DumpVectors.sectionHeader(littleEndian: le)
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(9, [0x80 | 10]), (14, offset.bytes)])
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(9, [3])])
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(9, [12])])
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(9, [19])])
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(14, negativeOffset.bytes)])
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le, options: [(9, [0])])
            + DumpVectors.enhancedPacket(interface: 0, ticks: 1024 * 5 + 512, data: ipv4, littleEndian: le)
            + DumpVectors.enhancedPacket(interface: 1, ticks: 7_250, data: ipv4, littleEndian: le)
            + DumpVectors.enhancedPacket(interface: 2, ticks: 1_700_000_000_123_456_789, data: ipv4, littleEndian: le)
            + DumpVectors.enhancedPacket(interface: 3, ticks: 1, data: ipv4, littleEndian: le)
            + DumpVectors.enhancedPacket(interface: 4, ticks: 9_000_000, data: ipv4, littleEndian: le)
            + DumpVectors.enhancedPacket(interface: 5, ticks: 5_000_000_000, data: ipv4, littleEndian: le)
        let (datagrams, counters, _) = try readDump(file)
        // 2^-10 s ticks + 1000 s = 1005.5 s, in nanoseconds; milliseconds as they are; picoseconds
        // cut to nanoseconds. 10^-19 s is beyond MediaTime, -10 s makes 9 s negative, and 5e9 s
        // (year 2128) is past the latest time: those three are malformed.
        #expect(datagrams.map(\.captureTime) == [
            .nanoseconds(1_005_500_000_000), .milliseconds(7_250), .nanoseconds(1_700_000_000_123_456),
        ])
        #expect(datagrams.map(\.captureTime.timescale) == [1_000_000_000, 1_000, 1_000_000_000])
        #expect(counters.malformed == 3)
    }

    @Test(arguments: [false, true])
    func simpleAndObsoletePacketBlocks(littleEndian le: Bool) throws {
        let file = DumpVectors.sectionHeader(littleEndian: le)
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: le)
            + DumpVectors.obsoletePacket(interface: 0, ticks: 3_000_000, data: ipv4, littleEndian: le)
            + DumpVectors.simplePacket(data: ipv6, littleEndian: le)
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.count == 2)
        // A simple packet has no time of its own: it keeps the time of the packet before it.
        #expect(datagrams.map(\.captureTime) == [.seconds(3), .seconds(3)])
        #expect(datagrams.last?.destination?.description == "[2001:db8::2]:6006")
        #expect(counters.records == 2)
    }

    @Test func newSectionResetsByteOrderAndInterfaces() throws {
        let first = DumpVectors.sectionHeader(littleEndian: true)
            + DumpVectors.interfaceDescription(linkType: 1, littleEndian: true)
            + DumpVectors.enhancedPacket(interface: 0, ticks: 1, data: DumpVectors.ethernet(etherType: 0x0800, payload: ipv4), littleEndian: true)
        let second = DumpVectors.sectionHeader(littleEndian: false)
            + DumpVectors.interfaceDescription(linkType: 101, littleEndian: false)
            + DumpVectors.enhancedPacket(interface: 0, ticks: 2, data: ipv6, littleEndian: false)
            + DumpVectors.enhancedPacket(interface: 1, ticks: 3, data: ipv6, littleEndian: false)
        let (datagrams, counters, _) = try readDump(first + second)
        #expect(datagrams.map(\.captureTime) == [.microseconds(1), .microseconds(2)])
        #expect(datagrams.map { $0.source?.port } == [5004, 5006])
        // Interface 1 existed only in the first section.
        #expect(counters.malformed == 1)
    }

    @Test func packetBeforeAnyInterfaceIsMalformed() throws {
        let file = DumpVectors.sectionHeader(littleEndian: true)
            + DumpVectors.enhancedPacket(interface: 0, ticks: 1, data: ipv4, littleEndian: true)
            + DumpVectors.simplePacket(data: ipv4, littleEndian: true)
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.isEmpty)
        #expect(counters.malformed == 2)
        #expect(counters.records == 2)
    }

    @Test func truncatedLastBlockEndsTheFileCleanly() throws {
        let file = twoInterfaceFile(littleEndian: true)
        let lastBlock = DumpVectors.enhancedPacket(interface: 1, ticks: 0, data: DumpVectors.linuxSLL2(protocolType: 0x86DD, payload: ipv6), littleEndian: true)
        for cut in [1, 4, lastBlock.count - 11, lastBlock.count - 1] {
            let (datagrams, counters, _) = try readDump(Array(file.dropLast(cut)))
            #expect(datagrams.count == 1)
            #expect(counters.truncatedTailOffset == Int64(file.count - lastBlock.count))
        }
    }

    @Test func brokenBlockStructureThrows() {
        let file = twoInterfaceFile(littleEndian: true)
        var mismatch = file
        mismatch[28 + 20 - 4] = 21  // trailing length of the first interface block
        #expect(throws: DumpError.malformed(format: .pcapng, offset: 44, reason: "block type 1: trailing length differs from leading length 20")) {
            try readDump(mismatch)
        }
        var oddLength = file
        oddLength[28 + 4] = 19
        #expect(throws: DumpError.malformed(format: .pcapng, offset: 32, reason: "block type 1 has total length 19")) {
            try readDump(oddLength)
        }
        var noMagic = file
        noMagic[8] = 0
        #expect(throws: DumpError.malformed(format: .pcapng, offset: 8, reason: "section header without the byte-order magic")) {
            try readDump(noMagic)
        }
        var majorVersion = file
        majorVersion[12] = 2
        #expect(throws: DumpError.malformed(format: .pcapng, offset: 12, reason: "section major version 2, expected 1")) {
            try readDump(majorVersion)
        }
    }
}
