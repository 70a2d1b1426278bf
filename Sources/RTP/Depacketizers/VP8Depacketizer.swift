import MediaTypes

/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 section 4.2).
/// ```
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL)  M set: PictureID is 15 bits, continued in the next byte
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   |
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// ```
/// S set with PID 0 marks the first packet of a frame; that packet's VP8 payload begins with
/// the frame tag, whose lowest bit (P) is clear for a keyframe (RFC 6386 section 9.1).
public struct VP8PayloadDescriptor: Sendable, Equatable {
    public enum PictureID: Sendable, Equatable {
        case short(UInt8)  // 7 bits
        case long(UInt16)  // 15 bits

        public var value: UInt16 {
            switch self {
            case let .short(value): return UInt16(value)
            case let .long(value): return value
            }
        }
    }

    public var nonReference: Bool
    public var startOfPartition: Bool
    public var partitionIndex: UInt8
    public var pictureID: PictureID?
    public var tl0PictureIndex: UInt8?
    public var temporalLayer: UInt8?
    /// Y: meaningful only with a temporal layer.
    public var layerSync: Bool
    public var keyIndex: UInt8?

    public init(
        nonReference: Bool = false, startOfPartition: Bool, partitionIndex: UInt8 = 0, pictureID: PictureID? = nil,
        tl0PictureIndex: UInt8? = nil, temporalLayer: UInt8? = nil, layerSync: Bool = false, keyIndex: UInt8? = nil
    ) {
        self.nonReference = nonReference
        self.startOfPartition = startOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayer = temporalLayer
        self.layerSync = layerSync
        self.keyIndex = keyIndex
    }

    public var startsFrame: Bool { startOfPartition && partitionIndex == 0 }

    /// Parses the descriptor at the start of `payload` and returns it with its length in bytes.
    public static func parse(_ payload: [UInt8]) throws(RTPParseError) -> (VP8PayloadDescriptor, length: Int) {
        var reader = ByteReader(payload)
        let first = try reader.readUInt8("VP8 payload descriptor")
        var descriptor = VP8PayloadDescriptor(
            nonReference: first & 0x20 != 0, startOfPartition: first & 0x10 != 0, partitionIndex: first & 0x07)
        if first & 0x80 != 0 {
            let extensionBits = try reader.readUInt8("VP8 extension bits (X)")
            if extensionBits & 0x80 != 0 {
                let high = try reader.readUInt8("VP8 picture ID")
                if high & 0x80 != 0 {
                    let low = try reader.readUInt8("VP8 15-bit picture ID")
                    descriptor.pictureID = .long(UInt16(high & 0x7F) << 8 | UInt16(low))
                } else {
                    descriptor.pictureID = .short(high)
                }
            }
            if extensionBits & 0x40 != 0 {
                descriptor.tl0PictureIndex = try reader.readUInt8("VP8 TL0PICIDX")
            }
            if extensionBits & 0x30 != 0 {
                let layerByte = try reader.readUInt8("VP8 TID/Y/KEYIDX")
                if extensionBits & 0x20 != 0 {
                    descriptor.temporalLayer = layerByte >> 6
                    descriptor.layerSync = layerByte & 0x20 != 0
                }
                if extensionBits & 0x10 != 0 { descriptor.keyIndex = layerByte & 0x1F }
            }
        }
        return (descriptor, reader.offset)
    }

    public func serialized() -> [UInt8] {
        var extensionBits: UInt8 = 0
        if pictureID != nil { extensionBits |= 0x80 }
        if tl0PictureIndex != nil { extensionBits |= 0x40 }
        if temporalLayer != nil { extensionBits |= 0x20 }
        if keyIndex != nil { extensionBits |= 0x10 }
        var bytes: [UInt8] = [
            (extensionBits != 0 ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (startOfPartition ? 0x10 : 0)
                | partitionIndex & 0x07,
        ]
        guard extensionBits != 0 else { return bytes }
        bytes.append(extensionBits)
        switch pictureID {
        case let .short(value): bytes.append(value & 0x7F)
        case let .long(value): bytes += [0x80 | UInt8(value >> 8 & 0x7F), UInt8(value & 0xFF)]
        case nil: break
        }
        if let tl0PictureIndex { bytes.append(tl0PictureIndex) }
        if temporalLayer != nil || keyIndex != nil {
            bytes.append((temporalLayer ?? 0) << 6 | (layerSync ? 0x20 : 0) | (keyIndex ?? 0) & 0x1F)
        }
        return bytes
    }
}

/// VP8 over RTP (RFC 7741): strips each packet's payload descriptor and concatenates the rest.
public struct VP8Depacketizer: Depacketizer {
    public init() {}

    public var codec: Codec { .vp8 }
    public var clockRate: Int64 { 90_000 }

    public func startsFrame(_ packet: RTPPacket) -> Bool {
        (try? VP8PayloadDescriptor.parse(packet.payload))?.0.startsFrame ?? false
    }

    public func endsFrame(_ packet: RTPPacket) -> Bool { packet.marker }

    public mutating func assemble(_ packets: [RTPPacket]) throws(RTPParseError) -> DepacketizedFrame {
        var data: [UInt8] = []
        for (index, packet) in packets.enumerated() {
            let (descriptor, length) = try VP8PayloadDescriptor.parse(packet.payload)
            if index == 0 && !descriptor.startsFrame {
                throw .invalidValue(field: "VP8 payload descriptor", offset: 0,
                                    reason: "first packet of the frame (seq \(packet.sequenceNumber)) is not S=1 PID=0")
            }
            data += packet.payload[length...]
        }
        guard let frameTag = data.first else {
            throw .truncated(field: "VP8 frame tag", offset: 0, needed: 1, available: 0)
        }
        return DepacketizedFrame(data: data, isKeyframe: frameTag & 0x01 == 0)
    }
}
