/// Generic NACK, transport-layer feedback (RTPFB, packet type 205, FMT 1; RFC 4585 section 6.2.1).
/// ```
/// |V=2|P|  FMT=1  |   PT=205      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  (repeated)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// PID is a lost sequence number; bit i of BLP (least significant first) means PID + i + 1 is
/// lost too.
public struct GenericNACK: RTCPMessage {
    static let packetType: UInt8 = 205
    static let format: UInt8 = 1

    public struct Entry: Sendable, Equatable {
        public var packetID: UInt16
        public var lostBitmask: UInt16

        public init(packetID: UInt16, lostBitmask: UInt16) {
            self.packetID = packetID
            self.lostBitmask = lostBitmask
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Packs lost sequence numbers, given in sending order (ascending, wrapping past 65535),
    /// into as few entries as that order allows.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: [UInt16]) {
        var entries: [Entry] = []
        for sequenceNumber in lostSequenceNumbers {
            if let last = entries.last {
                let distance = sequenceNumber &- last.packetID
                if (1...16).contains(distance) {
                    entries[entries.count - 1].lostBitmask |= 1 << (distance - 1)
                    continue
                }
            }
            entries.append(Entry(packetID: sequenceNumber, lostBitmask: 0))
        }
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: entries)
    }

    /// Every sequence number the entries name, in order.
    public var lostSequenceNumbers: [UInt16] {
        var sequenceNumbers: [UInt16] = []
        for entry in entries {
            sequenceNumbers.append(entry.packetID)
            for bit in 0..<16 where entry.lostBitmask & (1 << bit) != 0 {
                sequenceNumbers.append(entry.packetID &+ UInt16(bit + 1))
            }
        }
        return sequenceNumbers
    }

    var headerCount: UInt8 { Self.format }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        senderSSRC = try body.readUInt32("NACK sender SSRC")
        mediaSSRC = try body.readUInt32("NACK media SSRC")
        entries = []
        while body.remaining > 0 {
            let packetID = try body.readUInt16("NACK PID")
            entries.append(Entry(packetID: packetID, lostBitmask: try body.readUInt16("NACK BLP")))
        }
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(senderSSRC)
        bytes.appendBigEndian(mediaSSRC)
        for entry in entries {
            bytes.appendBigEndian(entry.packetID)
            bytes.appendBigEndian(entry.lostBitmask)
        }
        return bytes
    }
}
