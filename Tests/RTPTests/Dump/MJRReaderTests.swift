import MediaTypes
import Testing
@testable import RTP

@Suite("Janus .mjr reader")
struct MJRReaderTests {
    /// The info header in the key order Janus writes it (t, c, f, d, x, s, u).
    static let videoHeader = #"{"t":"v","c":"vp8","x":{"3":"urn:ietf:params:rtp-hdrext:sdes:mid","2":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"},"s":1700000000000000,"u":1700000000123456}"#

    func rtp(sequence: UInt8) -> [UInt8] {
        [0x80, 0x60, 0x00, sequence, 0, 0, 0x0B, 0xB8, 0x11, 0x22, 0x33, 0x44, 0x90, 0x00, 0x01]
    }

    @Test func headerAndPacketsWithReceiveTimes() throws {
        let file = DumpVectors.mjr(header: Self.videoHeader, frames: [(0, rtp(sequence: 1)), (33, rtp(sequence: 2)), (70_000, rtp(sequence: 3))])
        let (datagrams, counters, reader) = try readDump(file)
        #expect(reader.format == .mjr)
        let header = try #require(reader.mjrHeader)
        #expect(header.version == 2)
        #expect(header.kind == .video)
        #expect(header.codec == "vp8")
        #expect(header.extensions == [3: "urn:ietf:params:rtp-hdrext:sdes:mid", 2: "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"])
        #expect(header.created == .microseconds(1_700_000_000_000_000))
        #expect(header.firstPacketWritten == .microseconds(1_700_000_000_123_456))
        #expect(header.fmtp == nil)
        #expect(header.endToEndEncrypted == false)
        #expect(datagrams.map(\.payload) == [rtp(sequence: 1), rtp(sequence: 2), rtp(sequence: 3)])
        #expect(datagrams.map(\.captureTime) == [
            .microseconds(1_700_000_000_123_456), .microseconds(1_700_000_000_156_456), .microseconds(1_700_000_070_123_456),
        ])
        #expect(datagrams.allSatisfy { $0.captureTime.timescale == 1_000_000 && $0.source == nil && $0.destination == nil })
        let headerLength = 8 + 2 + Self.videoHeader.utf8.count
        #expect(datagrams.map(\.location) == [
            DumpLocation(recordIndex: 0, fileOffset: Int64(headerLength)),
            DumpLocation(recordIndex: 1, fileOffset: Int64(headerLength + 25)),
            DumpLocation(recordIndex: 2, fileOffset: Int64(headerLength + 50)),
        ])
        #expect(counters.records == 3)
        #expect(counters.datagrams == 3)
    }

    @Test func audioHeaderWithOptionalKeys() throws {
        let json = #"{"t":"a","c":"OPUS","f":"minptime=10;useinbandfec=1","d":"mic","s":1,"u":2,"or":121,"e":true}"#
        let (datagrams, _, reader) = try readDump(DumpVectors.mjr(header: json, frames: [(20, rtp(sequence: 9))]))
        #expect(reader.mjrHeader == MJRHeader(
            version: 2, kind: .audio, codec: "opus", fmtp: "minptime=10;useinbandfec=1", streamDescription: "mic",
            created: .microseconds(1), firstPacketWritten: .microseconds(2), opusRedPayloadType: 121, endToEndEncrypted: true))
        #expect(datagrams.map(\.captureTime) == [.microseconds(20_002)])
    }

    @Test func framesTooShortForRTPAreSkipped() throws {
        let file = DumpVectors.mjr(header: Self.videoHeader, frames: [(0, [1, 2, 3]), (5, rtp(sequence: 4)), (6, [])])
        let (datagrams, counters, _) = try readDump(file)
        #expect(datagrams.map(\.payload) == [rtp(sequence: 4)])
        #expect(counters.skippedRecords == 2)
        #expect(counters.records == 3)
    }

    @Test func dataRecordingsCarryTheirOwnTime() throws {
        let json = #"{"t":"d","c":"text","s":1700000000000000,"u":1700000000000000}"#
        var frame = DumpByteWriter()
        frame.uint64(1_700_000_005_000_000)
        frame.append(Array("hello".utf8))
        let (datagrams, _, reader) = try readDump(DumpVectors.mjr(header: json, frames: [(5_000, frame.bytes)]))
        #expect(reader.mjrHeader?.kind == .data)
        #expect(datagrams.map(\.payload) == [Array("hello".utf8)])
        #expect(datagrams.map(\.captureTime) == [.seconds(1_700_000_005)])
    }

    @Test func version1HasNoPerPacketTimes() throws {
        let file = DumpVectors.mjr(version: 1, header: #"{"t":"a","c":"opus","s":5000000,"u":6000000}"#,
                                   frames: [(0, rtp(sequence: 1)), (0, rtp(sequence: 2))])
        let (datagrams, _, reader) = try readDump(file)
        #expect(reader.mjrHeader?.version == 1)
        #expect(datagrams.map(\.payload) == [rtp(sequence: 1), rtp(sequence: 2)])
        #expect(datagrams.map(\.captureTime) == [.seconds(6), .seconds(6)])
    }

    @Test func recordingWithoutPacketsIsEmpty() throws {
        let (datagrams, counters, reader) = try readDump(Array("MJR00002".utf8))
        #expect(datagrams.isEmpty)
        #expect(reader.mjrHeader == nil)
        #expect(counters == DumpCounters())
    }

    @Test func truncatedLastFrameEndsTheFileCleanly() throws {
        let file = DumpVectors.mjr(header: Self.videoHeader, frames: [(0, rtp(sequence: 1)), (40, rtp(sequence: 2))])
        for cut in 1...24 {
            let (datagrams, counters, _) = try readDump(Array(file.dropLast(cut)))
            #expect(datagrams.count == 1)
            #expect(counters.truncatedTailOffset == Int64(file.count - 25))
        }
    }

    /// The RTP packets of the VP8 capture rewritten the way Janus records them (janus-pp-rec
    /// turns the same bytes into a 30-frame 320x180 WebM) come back with millisecond receive times.
    @Test func recordingOfTheVP8Fixture() throws {
        let captured = try readDump(try DumpVectors.fixture("vp8.pcap")).datagrams.filter { $0.destination?.port == 47004 }
        let first = try #require(captured.first).captureTime
        let json = #"{"t":"v","c":"vp8","s":\#(first.value - 5_000),"u":\#(first.value)}"#
        let frames = captured.map { (UInt32(($0.captureTime - first).rescaled(to: 1_000, rounding: .down)), $0.payload) }
        let (datagrams, counters, reader) = try readDump(DumpVectors.mjr(header: json, frames: frames))
        #expect(reader.mjrHeader?.firstPacketWritten == first)
        #expect(datagrams.map(\.payload) == captured.map(\.payload))
        #expect(datagrams.count == 65)
        #expect(counters.records == 65)
        for (recorded, original) in zip(datagrams, captured) {
            #expect(recorded.captureTime <= original.captureTime)
            #expect(original.captureTime - recorded.captureTime < .milliseconds(1))
        }
    }

    @Test func brokenStructureThrows() {
        let headerOffset = Int64(10)
        #expect(throws: DumpError.malformed(format: .mjr, offset: 0, reason: "unknown version \"MJR00003\"")) {
            try readDump(Array("MJR00003".utf8))
        }
        #expect(throws: DumpError.malformed(format: .mjr, offset: 8, reason: "info header cut off by the end of the file")) {
            try readDump(Array(DumpVectors.mjr(header: Self.videoHeader, frames: []).dropLast()))
        }
        #expect(throws: DumpError.malformed(format: .mjr, offset: headerOffset, reason: "info header media kind \"x\", expected a, v or d")) {
            try readDump(DumpVectors.mjr(header: #"{"t":"x","c":"vp8"}"#, frames: []))
        }
        #expect(throws: DumpError.malformed(format: .mjr, offset: headerOffset, reason: "info header time -1 µs is out of range")) {
            try readDump(DumpVectors.mjr(header: #"{"t":"v","c":"vp8","s":-1}"#, frames: []))
        }
        #expect(throws: DumpError.malformed(format: .mjr, offset: headerOffset, reason: "info header extension id \"mid\" is not a number")) {
            try readDump(DumpVectors.mjr(header: #"{"t":"v","c":"vp8","x":{"mid":"urn"}}"#, frames: []))
        }
        do {
            _ = try readDump(DumpVectors.mjr(header: #"{"t":"v""#, frames: []))
            Issue.record("expected a JSON error")
        } catch {
            guard case .malformed(.mjr, 10, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.hasPrefix("info header is not the JSON Janus writes"))
        }
        var badFrame = DumpVectors.mjr(header: Self.videoHeader, frames: [(0, rtp(sequence: 1))])
        let frameOffset = 10 + Self.videoHeader.utf8.count
        badFrame[frameOffset + 1] = UInt8(ascii: "J")
        #expect(throws: DumpError.malformed(format: .mjr, offset: Int64(frameOffset), reason: "frame 0 does not start with \"MEET\"")) {
            try readDump(badFrame)
        }
    }
}
