/// One RTCP packet of a compound packet (RFC 3550 section 6), by type.
///
/// Every RTCP packet starts with the same header; `length` counts 32-bit words minus one:
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| count/FMT |     PT      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Packets are concatenated into a compound packet; only the last may carry padding (P bit,
/// count in its final byte).
public enum RTCPPacket: Sendable, Equatable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription(SourceDescription)
    case goodbye(Goodbye)
    case nack(GenericNACK)
    case pictureLossIndication(PictureLossIndication)
    case fullIntraRequest(FullIntraRequest)
    /// A type or feedback format this module does not interpret (APP, XR, REMB, transport-wide
    /// congestion control, ...), kept so a compound packet still parses.
    case other(packetType: UInt8, count: UInt8, body: [UInt8])

    /// The packets of a compound RTCP packet, in order.
    public static func parseCompound(_ bytes: [UInt8]) throws(RTPParseError) -> [RTCPPacket] {
        var packets: [RTCPPacket] = []
        var start = 0
        repeat {
            var header = ByteReader(bytes, from: start)
            let first = try header.readUInt8("RTCP first byte")
            guard first >> 6 == 2 else { throw .unsupportedVersion(found: first >> 6) }
            let count = first & 0x1F
            let packetType = try header.readUInt8("RTCP packet type")
            let length = (Int(try header.readUInt16("RTCP length")) + 1) * 4
            guard length <= bytes.count - start else {
                throw .truncated(field: "RTCP packet (type \(packetType))", offset: start,
                                 needed: length, available: bytes.count - start)
            }
            var end = start + length
            if first & 0x20 != 0 {
                let padding = Int(bytes[end - 1])
                guard padding > 0, padding <= length - 4 else {
                    throw .invalidValue(field: "RTCP padding count", offset: end - 1,
                                        reason: "\(padding) padding bytes in a \(length)-byte packet")
                }
                end -= padding
            }
            var body = ByteReader(bytes, from: start + 4, to: end)
            packets.append(try parse(packetType: packetType, count: count, body: &body))
            start += length
        } while start < bytes.count
        return packets
    }

    private static func parse(
        packetType: UInt8, count: UInt8, body: inout ByteReader
    ) throws(RTPParseError) -> RTCPPacket {
        switch (packetType, count) {
        case (SenderReport.packetType, _): return .senderReport(try SenderReport(count: count, body: &body))
        case (ReceiverReport.packetType, _): return .receiverReport(try ReceiverReport(count: count, body: &body))
        case (SourceDescription.packetType, _):
            return .sourceDescription(try SourceDescription(count: count, body: &body))
        case (Goodbye.packetType, _): return .goodbye(try Goodbye(count: count, body: &body))
        case (GenericNACK.packetType, GenericNACK.format): return .nack(try GenericNACK(count: count, body: &body))
        case (PictureLossIndication.packetType, PictureLossIndication.format):
            return .pictureLossIndication(try PictureLossIndication(count: count, body: &body))
        case (FullIntraRequest.packetType, FullIntraRequest.format):
            return .fullIntraRequest(try FullIntraRequest(count: count, body: &body))
        default:
            return .other(packetType: packetType, count: count, body: try body.readBytes(body.remaining, "RTCP body"))
        }
    }

    public func serialized() -> [UInt8] {
        switch self {
        case let .senderReport(packet): return packet.serializedPacket()
        case let .receiverReport(packet): return packet.serializedPacket()
        case let .sourceDescription(packet): return packet.serializedPacket()
        case let .goodbye(packet): return packet.serializedPacket()
        case let .nack(packet): return packet.serializedPacket()
        case let .pictureLossIndication(packet): return packet.serializedPacket()
        case let .fullIntraRequest(packet): return packet.serializedPacket()
        case let .other(packetType, count, body):
            return RTCPHeader.serialized(packetType: packetType, count: count, body: body)
        }
    }

    public static func serializeCompound(_ packets: [RTCPPacket]) -> [UInt8] {
        packets.flatMap { $0.serialized() }
    }
}

/// What each typed RTCP packet provides to the shared header code.
protocol RTCPMessage: Sendable, Equatable {
    static var packetType: UInt8 { get }
    /// The 5-bit field after the P bit: an item count, or the feedback message type (FMT).
    var headerCount: UInt8 { get }
    /// Parses the body after the common header; `body` ends where the packet (minus padding) ends.
    init(count: UInt8, body: inout ByteReader) throws(RTPParseError)
    /// The body, a multiple of 4 bytes.
    func serializedBody() -> [UInt8]
}

extension RTCPMessage {
    func serializedPacket() -> [UInt8] {
        RTCPHeader.serialized(packetType: Self.packetType, count: headerCount, body: serializedBody())
    }
}

enum RTCPHeader {
    /// Header plus `body`, zero-padded to 32 bits.
    static func serialized(packetType: UInt8, count: UInt8, body: [UInt8]) -> [UInt8] {
        precondition(count < 32, "RTCP count/FMT field is 5 bits, got \(count)")
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        var bytes: [UInt8] = [0x80 | count, packetType]
        bytes.appendBigEndian(UInt16(padded.count / 4))
        return bytes + padded
    }
}
