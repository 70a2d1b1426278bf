/// Full intra request, payload-specific feedback (PSFB, packet type 206, FMT 4; RFC 5104
/// section 4.3.1). Unlike PLI it names the target SSRC in each entry and carries a command
/// sequence number, so the sender can tell a repeated request from a new one.
/// ```
/// |V=2|P|  FMT=4  |   PT=206      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |             SSRC of media source (unused, 0)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |  (repeated)
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct FullIntraRequest: RTCPMessage {
    static let packetType: UInt8 = 206
    static let format: UInt8 = 4

    public struct Entry: Sendable, Equatable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    var headerCount: UInt8 { Self.format }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        senderSSRC = try body.readUInt32("FIR sender SSRC")
        mediaSSRC = try body.readUInt32("FIR media SSRC")
        entries = []
        while body.remaining > 0 {
            let ssrc = try body.readUInt32("FIR entry SSRC")
            let sequenceNumber = try body.readUInt8("FIR entry sequence number")
            try body.skip(3, "FIR entry reserved bytes")
            entries.append(Entry(ssrc: ssrc, sequenceNumber: sequenceNumber))
        }
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(senderSSRC)
        bytes.appendBigEndian(mediaSSRC)
        for entry in entries {
            bytes.appendBigEndian(entry.ssrc)
            bytes += [entry.sequenceNumber, 0, 0, 0]
        }
        return bytes
    }
}
