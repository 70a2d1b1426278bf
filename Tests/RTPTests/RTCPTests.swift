import TestSupport
import Testing
@testable import RTP

/// Byte vectors: `ffmpegSR` was sent by ffmpeg's RTP muxer; the others were serialized by
/// aiortc 1.16 (an independent implementation).
@Suite struct RTCPTests {
    static let ffmpegSR = RealPackets.hex("80c80006d944f9bfeeb2794dcdd2f1a9204875b70000000000000000")
    static let aiortcSR = RealPackets.hex(
        "81c8000c11223344e1a2b3c4d5e6f7080001e2400000002a00001068aabbccdd190000030001ffff0000004d1234567800009abc")
    static let aiortcRR = RealPackets.hex(
        "82c9000d01020304aabbccdd00fffffe00000064000000050000000000000000"
            + "55667788ff0003e800011170000000010000000200000003")
    static let aiortcSDES = RealPackets.hex(
        "82ca000a1122334401107b61336632633164302d636e616d657d00005566778801017802046e616d65000000")
    static let aiortcBye = RealPackets.hex("82cb00021122334455667788")
    static let aiortcNACK = RealPackets.hex("81cd00050102030411223344006480110075000000c80000")
    static let aiortcPLI = RealPackets.hex("81ce00020102030411223344")
    static let aiortcFIR = RealPackets.hex("84ce000401020304000000001122334407000000")
    static let aiortcREMB = RealPackets.hex("8fce0005000000010000000052454d42010649f011223344")

    static var allVectors: [[UInt8]] {
        [ffmpegSR, aiortcSR, aiortcRR, aiortcSDES, aiortcBye, aiortcNACK, aiortcPLI, aiortcFIR, aiortcREMB]
    }

    @Test func senderReports() throws {
        #expect(try RTCPPacket.parseCompound(Self.ffmpegSR) == [.senderReport(SenderReport(
            ssrc: 0xD944_F9BF, ntpTimestamp: 0xEEB2_794D_CDD2_F1A9, rtpTimestamp: 0x2048_75B7,
            packetCount: 0, octetCount: 0))])
        let block = ReceptionReport(
            ssrc: 0xAABB_CCDD, fractionLost: 25, cumulativeLost: 3, extendedHighestSequenceNumber: 0x1_FFFF,
            jitter: 77, lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 0x9ABC)
        #expect(try RTCPPacket.parseCompound(Self.aiortcSR) == [.senderReport(SenderReport(
            ssrc: 0x1122_3344, ntpTimestamp: 0xE1A2_B3C4_D5E6_F708, rtpTimestamp: 123_456,
            packetCount: 42, octetCount: 4200, reports: [block]))])
    }

    @Test func receiverReportWithNegativeLoss() throws {
        let packets = try RTCPPacket.parseCompound(Self.aiortcRR)
        guard case let .receiverReport(report) = packets.first else { Issue.record("not an RR"); return }
        #expect(report.ssrc == 0x0102_0304)
        #expect(report.reports.map(\.cumulativeLost) == [-2, 1000])
        #expect(report.reports.map(\.fractionLost) == [0, 255])
        #expect(report.reports[1].extendedHighestSequenceNumber == 70_000)
        #expect(report.reports[1].delaySinceLastSenderReport == 3)
    }

    @Test func sourceDescriptionCNAMEs() throws {
        let packets = try RTCPPacket.parseCompound(Self.aiortcSDES)
        guard case let .sourceDescription(sdes) = packets.first else { Issue.record("not SDES"); return }
        #expect(sdes.chunks.map(\.ssrc) == [0x1122_3344, 0x5566_7788])
        #expect(sdes.chunks.map(\.cname) == ["{a3f2c1d0-cname}", "x"])
        #expect(sdes.chunks[1].items[1] == .init(type: 2, text: Array("name".utf8)))
    }

    @Test func feedbackMessages() throws {
        guard case let .nack(nack) = try RTCPPacket.parseCompound(Self.aiortcNACK).first else {
            Issue.record("not a NACK"); return
        }
        #expect(nack.senderSSRC == 0x0102_0304 && nack.mediaSSRC == 0x1122_3344)
        #expect(nack.lostSequenceNumbers == [100, 101, 105, 116, 117, 200])
        #expect(try RTCPPacket.parseCompound(Self.aiortcPLI) == [.pictureLossIndication(
            PictureLossIndication(senderSSRC: 0x0102_0304, mediaSSRC: 0x1122_3344))])
        #expect(try RTCPPacket.parseCompound(Self.aiortcFIR) == [.fullIntraRequest(FullIntraRequest(
            senderSSRC: 0x0102_0304, entries: [.init(ssrc: 0x1122_3344, sequenceNumber: 7)]))])
        #expect(try RTCPPacket.parseCompound(Self.aiortcBye) == [.goodbye(Goodbye(sources: [0x1122_3344, 0x5566_7788]))])
        guard case let .other(packetType, count, body) = try RTCPPacket.parseCompound(Self.aiortcREMB).first else {
            Issue.record("REMB is not kept as other"); return
        }
        #expect(packetType == 206 && count == 15 && body.count == 20)
    }

    @Test func nackListPacking() {
        // Built the same way aiortc packs it.
        let nack = GenericNACK(senderSSRC: 0x0102_0304, mediaSSRC: 0x1122_3344,
                               lostSequenceNumbers: [100, 101, 105, 116, 117, 200])
        #expect(RTCPPacket.nack(nack).serialized() == Self.aiortcNACK)
        // Across the 16-bit wrap, one entry covers 65534...1.
        let wrapped = GenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [65534, 65535, 0, 1, 40])
        #expect(wrapped.entries == [.init(packetID: 65534, lostBitmask: 0b111), .init(packetID: 40, lostBitmask: 0)])
        #expect(wrapped.lostSequenceNumbers == [65534, 65535, 0, 1, 40])
    }

    @Test func everyVectorRoundTrips() throws {
        for vector in Self.allVectors {
            #expect(RTCPPacket.serializeCompound(try RTCPPacket.parseCompound(vector)) == vector)
        }
    }

    @Test func compoundPacketAndPadding() throws {
        let compound = Self.aiortcSR + Self.aiortcSDES + Self.aiortcBye
        let packets = try RTCPPacket.parseCompound(compound)
        #expect(packets.count == 3)
        #expect(RTCPPacket.serializeCompound(packets) == compound)
        // An RR without blocks, padded with 4 bytes (P bit, count in the last byte).
        let padded = RealPackets.hex("a0c90002 01020304 00000004")
        #expect(try RTCPPacket.parseCompound(padded) == [.receiverReport(ReceiverReport(ssrc: 0x0102_0304))])
    }

    @Test func builtPacketsRoundTrip() throws {
        let packets: [RTCPPacket] = [
            .receiverReport(ReceiverReport(ssrc: 9, reports: [ReceptionReport(
                ssrc: 1, fractionLost: 1, cumulativeLost: -8_388_608, extendedHighestSequenceNumber: 2,
                jitter: 3, lastSenderReport: 4, delaySinceLastSenderReport: 5)])),
            .sourceDescription(SourceDescription(chunks: [
                .init(ssrc: 9, items: [.cname("abcd")]), .init(ssrc: 10, items: [.cname("efg")]),
            ])),
            .goodbye(Goodbye(sources: [9], reason: Array("done".utf8))),
            .fullIntraRequest(FullIntraRequest(senderSSRC: 9, entries: [
                .init(ssrc: 1, sequenceNumber: 255), .init(ssrc: 2, sequenceNumber: 0),
            ])),
        ]
        let bytes = RTCPPacket.serializeCompound(packets)
        #expect(bytes.count % 4 == 0)
        #expect(try RTCPPacket.parseCompound(bytes) == packets)
    }

    @Test func malformedInputThrows() {
        #expect(throws: RTPParseError.truncated(field: "RTCP packet (type 200)", offset: 0, needed: 28, available: 27)) {
            try RTCPPacket.parseCompound(Array(Self.ffmpegSR.dropLast()))
        }
        // SR claiming one report block but carrying none.
        #expect(throws: RTPParseError.truncated(field: "report block SSRC", offset: 28, needed: 4, available: 0)) {
            try RTCPPacket.parseCompound(RealPackets.hex("81c80006d944f9bfeeb2794dcdd2f1a9204875b70000000000000000"))
        }
        #expect(throws: RTPParseError.invalidValue(field: "RTCP padding count", offset: 11,
                                                    reason: "9 padding bytes in a 12-byte packet")) {
            try RTCPPacket.parseCompound(RealPackets.hex("a0c90002 01020304 00000009"))
        }
    }

    @Test func randomAndTruncatedInputThrowsTypedErrors() {
        var parsed = 0
        var generator = SeededGenerator(seed: 2)
        for var bytes in SeededGenerator.randomByteStrings(count: 20_000, maxLength: 64, seed: 3) where bytes.count >= 4 {
            // Make most strings look like RTCP so the body parsers are reached.
            bytes[0] = 0x80 | bytes[0] & 0x3F
            bytes[1] = UInt8.random(in: 200...206, using: &generator)
            bytes[2] = 0
            bytes[3] = UInt8(bytes.count / 4 - 1)
            if (try? RTCPPacket.parseCompound(bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 1000)
        // Every cut inside a packet, also behind a complete first packet of a compound.
        for vector in Self.allVectors {
            for prefix in truncations(of: vector) {
                #expect(throws: RTPParseError.self) { try RTCPPacket.parseCompound(prefix) }
                if prefix.isEmpty { continue }
                #expect(throws: RTPParseError.self) { try RTCPPacket.parseCompound(Self.aiortcPLI + prefix) }
            }
        }
    }
}
