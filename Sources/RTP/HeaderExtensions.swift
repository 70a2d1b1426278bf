import MediaTypes

/// The header extensions of one RTP packet (RFC 8285), in either of its two forms.
///
/// One-byte form (profile 0xBEDE), each element:
/// ```
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  ID   |  len  |  data (len + 1 bytes)...     ID 1...14; a 0x00 byte is padding; ID 15 ends parsing
/// +-+-+-+-+-+-+-+-+
/// ```
/// Two-byte form (profile 0x100 followed by 4 application bits), each element:
/// ```
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       ID      |     length    |  data (length bytes)...     ID 0 alone is a padding byte
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Extension ids are negotiated in SDP (`a=extmap`), so the typed accessors take the id.
public struct RTPHeaderExtensions: Sendable, Equatable {
    public struct Element: Sendable, Equatable {
        public var id: UInt8
        public var data: [UInt8]
        public init(id: UInt8, data: [UInt8]) {
            self.id = id
            self.data = data
        }

        var fitsOneByteForm: Bool { (1...14).contains(id) && (1...16).contains(data.count) }
    }

    public enum Form: Sendable, Equatable {
        case oneByte
        case twoByte(appBits: UInt8)
        /// A profile outside RFC 8285 (RFC 3550 section 5.3.1): its words are kept unparsed.
        case opaque(profile: UInt16, data: [UInt8])
    }

    /// The form found when parsing. When building, `.oneByte` is upgraded to the two-byte form
    /// if an element cannot be expressed in one byte (id above 14, empty or over 16 bytes).
    public var form: Form
    public var elements: [Element]

    public init(elements: [Element] = [], form: Form = .oneByte) {
        self.elements = elements
        self.form = form
    }

    public var isEmpty: Bool {
        if case .opaque = form { return false }
        return elements.isEmpty
    }

    /// The data of the element with `id`; setting nil removes it.
    public subscript(id: UInt8) -> [UInt8]? {
        get { elements.first { $0.id == id }?.data }
        set {
            guard let newValue else { elements.removeAll { $0.id == id }; return }
            precondition(id != 0, "RTP header extension id 0 is reserved for padding")
            if let index = elements.firstIndex(where: { $0.id == id }) {
                elements[index].data = newValue
            } else {
                elements.append(Element(id: id, data: newValue))
            }
        }
    }

    static let oneByteProfile: UInt16 = 0xBEDE
    static let twoByteProfileMask: UInt16 = 0xFFF0
    static let twoByteProfile: UInt16 = 0x1000

    /// Parses the extension block after its profile and length words; `offset` is where `data`
    /// began in the packet, for error messages.
    init(profile: UInt16, data: [UInt8], offset: Int) throws(RTPParseError) {
        elements = []
        if profile == Self.oneByteProfile {
            form = .oneByte
            var reader = ByteReader(data)
            while reader.remaining > 0 {
                let header = try reader.readUInt8("one-byte header extension element header")
                let id = header >> 4
                if id == 0 { continue }  // padding
                if id == 15 { break }  // reserved: stop, per RFC 8285 section 4.2
                let elementData = try Self.readData(&reader, count: Int(header & 0x0F) + 1, id: id, base: offset)
                elements.append(Element(id: id, data: elementData))
            }
        } else if profile & Self.twoByteProfileMask == Self.twoByteProfile {
            form = .twoByte(appBits: UInt8(profile & 0x0F))
            var reader = ByteReader(data)
            while reader.remaining > 0 {
                let id = try reader.readUInt8("two-byte header extension element id")
                if id == 0 { continue }  // padding
                let length = try reader.readUInt8("two-byte header extension element length")
                let elementData = try Self.readData(&reader, count: Int(length), id: id, base: offset)
                elements.append(Element(id: id, data: elementData))
            }
        } else {
            form = .opaque(profile: profile, data: data)
        }
    }

    private static func readData(
        _ reader: inout ByteReader, count: Int, id: UInt8, base: Int
    ) throws(RTPParseError) -> [UInt8] {
        do {
            return try reader.readBytes(count, "header extension element \(id) data")
        } catch let .truncated(field, offset, needed, available) {
            throw .truncated(field: field, offset: base + offset, needed: needed, available: available)
        } catch {
            throw error
        }
    }

    /// The profile word, length word and data, padded to 32 bits; empty when there is nothing to send.
    func serialized() -> [UInt8] {
        var profile: UInt16
        var body: [UInt8] = []
        switch form {
        case let .opaque(opaqueProfile, data):
            profile = opaqueProfile
            body = data
        case .oneByte where elements.allSatisfy(\.fitsOneByteForm):
            guard !elements.isEmpty else { return [] }
            profile = Self.oneByteProfile
            for element in elements {
                body.append(element.id << 4 | UInt8(element.data.count - 1))
                body += element.data
            }
        case .oneByte, .twoByte:
            guard !elements.isEmpty else { return [] }
            var appBits: UInt8 = 0
            if case let .twoByte(bits) = form { appBits = bits }
            profile = Self.twoByteProfile | UInt16(appBits & 0x0F)
            for element in elements {
                precondition(element.data.count <= 255, "two-byte header extension element holds at most 255 bytes")
                body.append(element.id)
                body.append(UInt8(element.data.count))
                body += element.data
            }
        }
        body += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        var bytes: [UInt8] = []
        bytes.appendBigEndian(profile)
        bytes.appendBigEndian(UInt16(body.count / 4))
        return bytes + body
    }
}

// MARK: - Typed accessors

extension RTPHeaderExtensions {
    /// Client-to-mixer audio level (RFC 6464).
    /// ```
    ///  0 1 2 3 4 5 6 7
    /// +-+-+-+-+-+-+-+-+
    /// |V|    level    |   V: voice activity; level: 0...127, in -dBov (0 loudest, 127 silence)
    /// +-+-+-+-+-+-+-+-+
    /// ```
    public struct AudioLevel: Sendable, Equatable {
        public var voiceActivity: Bool
        /// Attenuation below the overload point, in dB: 0 is the loudest, 127 silence.
        public var level: UInt8

        public init(voiceActivity: Bool, level: UInt8) {
            precondition(level < 128, "RFC 6464 audio level is 7 bits, got \(level)")
            self.voiceActivity = voiceActivity
            self.level = level
        }
    }

    /// Nil when the packet has no element with `id`.
    public func audioLevel(id: UInt8) throws(RTPParseError) -> AudioLevel? {
        guard let data = self[id] else { return nil }
        var reader = ByteReader(data)
        let byte = try reader.readUInt8("audio level extension (id \(id))")
        return AudioLevel(voiceActivity: byte & 0x80 != 0, level: byte & 0x7F)
    }

    public mutating func setAudioLevel(_ audioLevel: AudioLevel, id: UInt8) {
        self[id] = [(audioLevel.voiceActivity ? 0x80 : 0) | audioLevel.level]
    }

    /// The media identification (RFC 8843 section 15): the SDP `a=mid` of the packet's m-line.
    public func mid(id: UInt8) throws(RTPParseError) -> String? {
        guard let data = self[id] else { return nil }
        guard !data.isEmpty, let mid = String(validating: data, as: UTF8.self) else {
            throw .invalidValue(field: "MID extension (id \(id))", offset: 0, reason: "not a non-empty UTF-8 string")
        }
        return mid
    }

    public mutating func setMID(_ mid: String, id: UInt8) {
        self[id] = Array(mid.utf8)
    }

    /// Absolute send time (webrtc abs-send-time): the sender's NTP time in seconds, 24 bits of
    /// 6.18 fixed point, so it wraps every 64 seconds. Returned in units of 2^-18 s.
    public func absSendTime(id: UInt8) throws(RTPParseError) -> MediaTime? {
        guard let data = self[id] else { return nil }
        var reader = ByteReader(data)
        let raw = try reader.readUInt24("abs-send-time extension (id \(id))")
        return MediaTime(value: Int64(raw), timescale: Self.absSendTimeScale)
    }

    /// Stores `time` modulo 64 s, rounded down to 2^-18 s.
    public mutating func setAbsSendTime(_ time: MediaTime, id: UInt8) {
        let ticks = time.rescaled(to: Self.absSendTimeScale, rounding: .down)
        var data: [UInt8] = []
        data.appendUInt24(UInt32(truncatingIfNeeded: ticks) & 0xFF_FFFF)
        self[id] = data
    }

    static let absSendTimeScale: Int64 = 1 << 18
}
