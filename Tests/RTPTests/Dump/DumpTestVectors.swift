import Foundation
@testable import RTP

/// Builds dump files and captured frames byte by byte, following the format specifications, for
/// tests that need exact control over every field.
struct DumpByteWriter {
    var bytes: [UInt8] = []
    var littleEndian = false

    init(littleEndian: Bool = false) {
        self.littleEndian = littleEndian
    }

    mutating func append(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }
    mutating func uint8(_ value: UInt8) { bytes.append(value) }
    mutating func uint16(_ value: UInt16) { integer(UInt64(value), width: 2) }
    mutating func uint32(_ value: UInt32) { integer(UInt64(value), width: 4) }
    mutating func uint64(_ value: UInt64) { integer(value, width: 8) }

    private mutating func integer(_ value: UInt64, width: Int) {
        let shifts = (0..<width).map { 8 * $0 }
        for shift in littleEndian ? shifts : shifts.reversed() {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}

enum DumpVectors {
    static let rtpPayload: [UInt8] = [0x80, 0x60, 0x12, 0x34, 0, 0, 0x03, 0xE8, 0x5E, 0xED, 0, 1, 0xAA, 0xBB]

    // MARK: network and transport layers

    static func udp(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8], lengthField: UInt16? = nil) -> [UInt8] {
        var w = DumpByteWriter()
        w.uint16(sourcePort)
        w.uint16(destinationPort)
        w.uint16(lengthField ?? UInt16(8 + payload.count))
        w.uint16(0)
        w.append(payload)
        return w.bytes
    }

    static func ipv4(
        source: [UInt8] = [10, 0, 0, 1], destination: [UInt8] = [10, 0, 0, 2], protocolNumber: UInt8 = 17,
        options: [UInt8] = [], flagsAndOffset: UInt16 = 0x4000, payload: [UInt8], totalLength: UInt16? = nil
    ) -> [UInt8] {
        var w = DumpByteWriter()
        w.uint8(0x40 | UInt8((20 + options.count) / 4))
        w.uint8(0)
        w.uint16(totalLength ?? UInt16(20 + options.count + payload.count))
        w.uint16(0x1234)
        w.uint16(flagsAndOffset)
        w.uint8(64)
        w.uint8(protocolNumber)
        w.uint16(0)
        w.append(source)
        w.append(destination)
        w.append(options)
        w.append(payload)
        return w.bytes
    }

    static let ipv6Source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]
    static let ipv6Destination: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [2]

    /// An IPv6 packet; `extensions` are (type, bytes) pairs whose first byte gets the next header.
    static func ipv6(extensions: [(type: UInt8, body: [UInt8])] = [], protocolNumber: UInt8 = 17, payload: [UInt8]) -> [UInt8] {
        var chain: [UInt8] = []
        for (index, header) in extensions.enumerated() {
            let next = index + 1 < extensions.count ? extensions[index + 1].type : protocolNumber
            chain += [next] + header.body.dropFirst()
        }
        var w = DumpByteWriter()
        w.uint32(0x6000_0000)
        w.uint16(UInt16(chain.count + payload.count))
        w.uint8(extensions.first?.type ?? protocolNumber)
        w.uint8(64)
        w.append(ipv6Source)
        w.append(ipv6Destination)
        w.append(chain)
        w.append(payload)
        return w.bytes
    }

    // MARK: link layers

    static func ethernet(etherType: UInt16, vlanTags: Int = 0, payload: [UInt8], padding: Int = 0) -> [UInt8] {
        var w = DumpByteWriter()
        w.append([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xAA])
        for _ in 0..<vlanTags {
            w.uint16(0x8100)
            w.uint16(42)
        }
        w.uint16(etherType)
        w.append(payload)
        w.append(Array(repeating: 0, count: padding))
        return w.bytes
    }

    static func linuxSLL(protocolType: UInt16, payload: [UInt8]) -> [UInt8] {
        var w = DumpByteWriter()
        w.uint16(0)  // packet type: to us
        w.uint16(772)  // ARPHRD_LOOPBACK
        w.uint16(6)
        w.append([0, 0, 0, 0, 0, 0, 0, 0])
        w.uint16(protocolType)
        w.append(payload)
        return w.bytes
    }

    static func linuxSLL2(protocolType: UInt16, payload: [UInt8]) -> [UInt8] {
        var w = DumpByteWriter()
        w.uint16(protocolType)
        w.uint16(0)
        w.uint32(1)  // interface index
        w.uint16(772)
        w.uint8(0)
        w.uint8(6)
        w.append([0, 0, 0, 0, 0, 0, 0, 0])
        w.append(payload)
        return w.bytes
    }

    static func loopback(family: UInt32, littleEndian: Bool, payload: [UInt8]) -> [UInt8] {
        var w = DumpByteWriter(littleEndian: littleEndian)
        w.uint32(family)
        w.append(payload)
        return w.bytes
    }

    // MARK: files

    struct Record {
        var seconds: UInt32
        var fraction: UInt32
        var data: [UInt8]
        var originalLength: UInt32? = nil
    }

    static func pcap(linkType: UInt32, littleEndian: Bool, nanoseconds: Bool = false, records: [Record]) -> [UInt8] {
        var w = DumpByteWriter(littleEndian: littleEndian)
        w.uint32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        w.uint16(2)
        w.uint16(4)
        w.uint32(0)
        w.uint32(0)
        w.uint32(262_144)
        w.uint32(linkType)
        for record in records {
            w.uint32(record.seconds)
            w.uint32(record.fraction)
            w.uint32(UInt32(record.data.count))
            w.uint32(record.originalLength ?? UInt32(record.data.count))
            w.append(record.data)
        }
        return w.bytes
    }

    /// One pcapng block: type, total length, body padded to 4 bytes, total length.
    static func block(_ type: UInt32, littleEndian: Bool, body: (inout DumpByteWriter) -> Void) -> [UInt8] {
        var content = DumpByteWriter(littleEndian: littleEndian)
        body(&content)
        content.append(Array(repeating: 0, count: (4 - content.bytes.count % 4) % 4))
        var w = DumpByteWriter(littleEndian: littleEndian)
        w.uint32(type)
        w.uint32(UInt32(content.bytes.count + 12))
        w.append(content.bytes)
        w.uint32(UInt32(content.bytes.count + 12))
        return w.bytes
    }

    static func sectionHeader(littleEndian: Bool) -> [UInt8] {
        block(0x0A0D_0D0A, littleEndian: littleEndian) { w in
            w.uint32(0x1A2B_3C4D)
            w.uint16(1)
            w.uint16(0)
            w.uint64(UInt64.max)  // section length not given
        }
    }

    /// An Interface Description Block; `options` are (code, value) pairs.
    static func interfaceDescription(linkType: UInt16, littleEndian: Bool, options: [(UInt16, [UInt8])] = []) -> [UInt8] {
        block(1, littleEndian: littleEndian) { w in
            w.uint16(linkType)
            w.uint16(0)
            w.uint32(0)
            for (code, value) in options {
                w.uint16(code)
                w.uint16(UInt16(value.count))
                w.append(value)
                w.append(Array(repeating: 0, count: (4 - value.count % 4) % 4))
            }
            if !options.isEmpty {
                w.uint32(0)
            }
        }
    }

    static func enhancedPacket(interface: UInt32, ticks: UInt64, data: [UInt8], littleEndian: Bool) -> [UInt8] {
        block(6, littleEndian: littleEndian) { w in
            w.uint32(interface)
            w.uint32(UInt32(truncatingIfNeeded: ticks >> 32))
            w.uint32(UInt32(truncatingIfNeeded: ticks))
            w.uint32(UInt32(data.count))
            w.uint32(UInt32(data.count))
            w.append(data)
        }
    }

    static func simplePacket(data: [UInt8], littleEndian: Bool) -> [UInt8] {
        block(3, littleEndian: littleEndian) { w in
            w.uint32(UInt32(data.count))
            w.append(data)
        }
    }

    static func obsoletePacket(interface: UInt16, ticks: UInt64, data: [UInt8], littleEndian: Bool) -> [UInt8] {
        block(2, littleEndian: littleEndian) { w in
            w.uint16(interface)
            w.uint16(0)
            w.uint32(UInt32(truncatingIfNeeded: ticks >> 32))
            w.uint32(UInt32(truncatingIfNeeded: ticks))
            w.uint32(UInt32(data.count))
            w.uint32(UInt32(data.count))
            w.append(data)
        }
    }

    /// An `.mjr` file as Janus's recorder writes it: magic, info header, then per packet "MEET",
    /// milliseconds since the first packet and length (MJR00002), or "MEETECHO" and length
    /// (MJR00001).
    static func mjr(version: Int = 2, header: String?, frames: [(milliseconds: UInt32, packet: [UInt8])]) -> [UInt8] {
        var w = DumpByteWriter()
        w.append(Array("MJR0000\(version)".utf8))
        if let header {
            w.uint16(UInt16(header.utf8.count))
            w.append(Array(header.utf8))
        }
        for frame in frames {
            if version == 2 {
                w.append(Array("MEET".utf8))
                w.uint32(frame.milliseconds)
            } else {
                w.append(Array("MEETECHO".utf8))
            }
            w.uint16(UInt16(frame.packet.count))
            w.append(frame.packet)
        }
        return w.bytes
    }

    /// Where the committed fixtures live: the nearest `Fixtures/pcap` above this file.
    static func fixtureURL(_ name: String, filePath: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Fixtures/pcap/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        guard let url = fixtureURL(name) else { throw FixtureMissing(name: name) }
        return Array(try Data(contentsOf: url))
    }

    struct FixtureMissing: Error {
        var name: String
    }
}

/// Reads a whole dump from memory.
func readDump(_ bytes: [UInt8]) throws(DumpError) -> (datagrams: [CapturedDatagram], counters: DumpCounters, reader: DumpReader) {
    let reader = try DumpReader(bytes: bytes)
    let datagrams = try reader.readAll()
    return (datagrams, reader.counters, reader)
}
