import Foundation
import MediaTypes
import Testing
@testable import RTP

@Suite("Dump format detection and file reading")
struct DumpReaderTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dump-reader-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func notADumpSaysWhatItSaw() throws {
        let html = Array("<!doctype html><html>".utf8)
        #expect(throws: DumpError.notADump(firstBytes: Array(html.prefix(16)))) { try DumpReader(bytes: html) }
        #expect(DumpError.notADump(firstBytes: Array(html.prefix(6))).description
            == #"not a pcap, pcapng or mjr file: first bytes 3c 21 64 6f 63 74 ("<!doct")"#)
        #expect(throws: DumpError.notADump(firstBytes: [0xD4, 0xC3])) { try DumpReader(bytes: [0xD4, 0xC3]) }
        #expect(DumpError.notADump(firstBytes: []).description == "not a pcap, pcapng or mjr file: the file is empty")
        #expect(throws: DumpError.notADump(firstBytes: [])) { try DumpReader(bytes: []) }
        #expect(DumpError.malformed(format: .pcapng, offset: 12, reason: "x").description == "malformed pcapng file at offset 12: x")
    }

    @Test func missingFileIsUnreadable() {
        do {
            _ = try DumpReader.open("/nonexistent/capture.pcap")
            Issue.record("expected an error")
        } catch {
            guard case .unreadable(let path, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == "/nonexistent/capture.pcap")
        }
    }

    @Test func detectsEachFormat() throws {
        let pcap = DumpVectors.pcap(linkType: 1, littleEndian: false, records: [])
        let pcapng = DumpVectors.sectionHeader(littleEndian: true)
        #expect(try DumpReader(bytes: pcap).format == .pcap)
        #expect(try DumpReader(bytes: pcapng).format == .pcapng)
        #expect(try DumpReader(bytes: Array("MJR00002".utf8)).format == .mjr)
    }

    /// A capture several read chunks long, records straddling chunk boundaries, read from disk
    /// gives exactly what the same bytes give from memory.
    @Test func fileReadInChunksMatchesMemory() throws {
        var records: [DumpVectors.Record] = []
        for index in 0..<3_000 {
            let payload = (0..<(900 + index % 300)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            let frame = DumpVectors.ethernet(etherType: 0x0800, payload: DumpVectors.ipv4(
                payload: DumpVectors.udp(sourcePort: 5004, destinationPort: UInt16(6000 + index % 7), payload: payload)))
            records.append(.init(seconds: UInt32(index), fraction: 0, data: frame))
        }
        let bytes = DumpVectors.pcap(linkType: 1, littleEndian: true, records: records)
        #expect(bytes.count > 3 * DumpInput.chunkSize)
        let url = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try DumpReader.open(url.path)
        let fromFile = try reader.readAll()
        #expect(fromFile.count == 3_000)
        #expect(fromFile == (try readDump(bytes).datagrams))
        #expect(fromFile.last?.captureTime == .seconds(2_999))
        #expect(fromFile.last?.payload.count == 900 + 2_999 % 300)
        #expect(reader.counters.records == 3_000)
        #expect(try reader.next() == nil)
    }

    @Test func readerStopsAfterAnError() throws {
        var file = DumpVectors.pcap(linkType: 1, littleEndian: true, records: [.init(seconds: 1, fraction: 0, data: [1, 2, 3])])
        file[32..<36] = [0xFF, 0xFF, 0xFF, 0xFF]
        let reader = try DumpReader(bytes: file)
        #expect(throws: DumpError.self) { try reader.next() }
        #expect(try reader.next() == nil)
    }
}
