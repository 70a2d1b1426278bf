/// Source description, packet type 202 (RFC 3550 section 6.5).
/// ```
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |  chunk 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     type      |    length     | text (length bytes) ...       |  items ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  0 (end)      | zero bytes up to the next 32-bit boundary       |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// ```
public struct SourceDescription: RTCPMessage {
    static let packetType: UInt8 = 202

    public struct Item: Sendable, Equatable {
        public static let cnameType: UInt8 = 1

        public var type: UInt8
        /// UTF-8 by the RFC, kept as bytes so any input round-trips.
        public var text: [UInt8]

        public init(type: UInt8, text: [UInt8]) {
            precondition(type != 0, "SDES item type 0 ends a chunk")
            precondition(text.count < 256, "SDES item text is at most 255 bytes")
            self.type = type
            self.text = text
        }

        public static func cname(_ cname: String) -> Item { Item(type: cnameType, text: Array(cname.utf8)) }
    }

    public struct Chunk: Sendable, Equatable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// The canonical name that ties the SSRCs of one participant together.
        public var cname: String? {
            items.first { $0.type == Item.cnameType }.flatMap { String(validating: $0.text, as: UTF8.self) }
        }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        precondition(chunks.count < 32, "an SDES packet carries at most 31 chunks")
        self.chunks = chunks
    }

    var headerCount: UInt8 { UInt8(chunks.count) }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        let bodyStart = body.offset
        chunks = []
        for _ in 0..<count {
            let ssrc = try body.readUInt32("SDES chunk SSRC")
            var items: [Item] = []
            while true {
                let type = try body.readUInt8("SDES item type")
                if type == 0 { break }
                let length = try body.readUInt8("SDES item length")
                items.append(Item(type: type, text: try body.readBytes(Int(length), "SDES item text")))
            }
            try body.skip((4 - (body.offset - bodyStart) % 4) % 4, "SDES chunk padding")
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        for chunk in chunks {
            bytes.appendBigEndian(chunk.ssrc)
            for item in chunk.items {
                bytes.append(item.type)
                bytes.append(UInt8(item.text.count))
                bytes += item.text
            }
            // At least one zero byte ends the item list, then zeros to the boundary.
            bytes.append(0)
            bytes += [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
        }
        return bytes
    }
}
