import TestSupport
import Testing
@testable import RTP

/// Damaged and random input ends in a typed error or a clean end, never a trap.
@Suite("Dump readers on truncated and random input")
struct DumpRobustnessTests {
    /// Reads everything; the typed throw guarantees any failure is a `DumpError`.
    func outcome(_ bytes: [UInt8]) -> Result<[CapturedDatagram], DumpError> {
        Result { () throws(DumpError) in try readDump(bytes).datagrams }
    }

    /// Cutting a capture anywhere after its file header loses at most the record that was cut.
    @Test(arguments: ["vp8.pcap", "h264.pcap", "opus.pcap", "opus.pcapng", "ipv6-sll2.pcap"])
    func everyTruncationOfTheFirstTwoKilobytes(_ name: String) throws {
        let file = try DumpVectors.fixture(name)
        let all = try readDump(file).datagrams
        // pcap: the 24-byte file header; pcapng: the section header block (little-endian here).
        let headerLength = name.hasSuffix("pcapng") ? file[4..<8].reversed().reduce(0) { $0 << 8 | Int($1) } : 24
        for length in 0...2048 {
            let cut = Array(file.prefix(length))
            switch outcome(cut) {
            case .success(let datagrams):
                #expect(length >= headerLength, "\(name) cut at \(length)")
                #expect(Array(all.prefix(datagrams.count)) == datagrams, "\(name) cut at \(length)")
            case .failure(let error):
                #expect(length < headerLength, "\(name) cut at \(length): \(error)")
            }
        }
    }

    @Test func everyTruncationOfAnMJRRecording() throws {
        let header = #"{"t":"a","c":"opus","s":1700000000000000,"u":1700000000000100}"#
        let frames = (0..<20).map { index in (UInt32(index * 20), [0x80, 0x6F, 0, UInt8(index)] + [UInt8](repeating: UInt8(index), count: 20 + index)) }
        let file = DumpVectors.mjr(header: header, frames: frames)
        let all = try readDump(file).datagrams
        #expect(all.count == 20)
        for length in 0...file.count {
            switch outcome(Array(file.prefix(length))) {
            case .success(let datagrams):
                #expect(Array(all.prefix(datagrams.count)) == datagrams)
            case .failure(let error):
                #expect(length < 10 + header.utf8.count && length != 8, "cut at \(length): \(error)")
            }
        }
    }

    @Test func randomBytesAfterEachMagic() {
        var random = SeededGenerator(seed: 0x7E55_E7A0)
        let prefixes: [[UInt8]] = [
            [], [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0], [0xA1, 0xB2, 0x3C, 0x4D, 0, 2, 0, 4],
            [0x0A, 0x0D, 0x0D, 0x0A], [0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0],
            Array("MJR00002".utf8), Array("MJR00001".utf8),
        ]
        var outcomes: [String: Int] = [:]
        for iteration in 0..<6_000 {
            let bytes = prefixes[iteration % prefixes.count] + random.bytes(Int.random(in: 0...400, using: &random))
            switch outcome(bytes) {
            case .success: outcomes["read", default: 0] += 1
            case .failure(.notADump): outcomes["notADump", default: 0] += 1
            case .failure(.malformed): outcomes["malformed", default: 0] += 1
            case .failure(.unreadable): outcomes["unreadable", default: 0] += 1
            }
        }
        #expect(outcomes["unreadable"] == nil)
        #expect(outcomes["notADump", default: 0] >= 850)
        #expect(outcomes["malformed", default: 0] > 0)
    }

    /// Random byte changes in the first 2 KB of real captures, which keep most of the structure.
    @Test(arguments: ["vp8.pcap", "opus.pcapng"])
    func mutatedFixtures(_ name: String) throws {
        let original = Array(try DumpVectors.fixture(name).prefix(2048))
        var random = SeededGenerator(seed: UInt64(name.utf8.count))
        var read = 0
        for _ in 0..<1_500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if case .success = outcome(bytes) { read += 1 }
        }
        #expect(read > 0)
    }

    @Test func randomFramesOnEveryLinkType() {
        var random = SeededGenerator(seed: 42)
        let linkTypes: [LinkType] = [.null, .ethernet, .rawIPLegacy, .rawIPOpenBSD, .rawIP, .loop, .linuxSLL, .ipv4, .ipv6, .linuxSLL2]
        let udp = DumpVectors.udp(sourcePort: 1, destinationPort: 2, payload: [1, 2, 3, 4])
        let seeds: [[UInt8]] = [DumpVectors.ipv4(payload: udp), DumpVectors.ipv6(payload: udp), []]
        var datagrams = 0
        for iteration in 0..<20_000 {
            // Random bytes, or a valid IP packet with random bytes written over part of it.
            var frame = seeds[iteration % seeds.count]
            if frame.isEmpty {
                frame = random.bytes(Int.random(in: 0...120, using: &random))
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    frame[Int.random(in: 0..<frame.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &random)))
            }
            for linkType in linkTypes {
                if case .datagram = DatagramExtraction(linkType: linkType, frame: frame[...], snapped: Bool.random(using: &random)) {
                    datagrams += 1
                }
            }
        }
        #expect(datagrams > 0)
    }
}
