import MediaTypes
import SDP

/// Which codec an RTP payload type carries in an input, and where that knowledge came from.
public struct PayloadTypeMap: Sendable {
    public enum Source: String, Sendable {
        case sdp = "SDP"
        case recordingHeader = "recording header"
        case commonPayloadTypes = "common WebRTC payload types"
    }

    public struct Entry: Sendable, Equatable {
        public var codec: Codec
        /// For an RTX payload type (RFC 4588): the payload type it retransmits.
        public var retransmits: UInt8?
    }

    /// Entries per (destination port or nil for any port, payload type).
    private var entries: [Key: (entry: Entry, source: Source)] = [:]

    private struct Key: Hashable {
        var port: UInt16?
        var payloadType: UInt8
    }

    public init() {}

    /// Payload types browsers and SFUs commonly use (Chrome, Firefox, Janus, aiortc); used only
    /// for what nothing better describes.
    public static let commonPayloadTypes: PayloadTypeMap = {
        var map = PayloadTypeMap()
        for type in [96, 120] as [UInt8] { map.add(type, .init(codec: .vp8), source: .commonPayloadTypes) }
        for type in [102, 106, 107, 125, 126, 127] as [UInt8] { map.add(type, .init(codec: .h264), source: .commonPayloadTypes) }
        for type in [109, 111] as [UInt8] { map.add(type, .init(codec: .opus), source: .commonPayloadTypes) }
        return map
    }()

    /// Declares `payloadType` (on RTP destination `port`, when the description names one).
    public mutating func add(_ payloadType: UInt8, _ entry: Entry, port: UInt16? = nil, source: Source) {
        entries[Key(port: port, payloadType: payloadType)] = (entry, source)
    }

    /// What `payloadType` arriving on `port` carries: a port-specific entry first, then any-port.
    public func lookup(_ payloadType: UInt8, port: UInt16?) -> (entry: Entry, source: Source)? {
        if let port, let found = entries[Key(port: port, payloadType: payloadType)] { return found }
        return entries[Key(port: nil, payloadType: payloadType)]
    }

    /// This map with `fallback`'s entries where this one has none.
    public func filled(from fallback: PayloadTypeMap) -> PayloadTypeMap {
        var merged = fallback
        for (key, value) in entries { merged.entries[key] = value }
        return merged
    }
}

extension PayloadTypeMap {
    /// The payload types an SDP declares, per m-line (scoped to its port when it has one).
    public init(sdp description: SessionDescription) {
        self.init()
        for media in description.media {
            let port: UInt16? = media.port == 0 || media.port == 9 ? nil : media.port
            for codec in media.codecs {
                if codec.isRetransmission {
                    guard let original = codec.associatedPayloadType,
                          let target = media.codec(payloadType: original).flatMap(PayloadTypeMap.codec(named:)) else { continue }
                    add(codec.payloadType, Entry(codec: target, retransmits: original), port: port, source: .sdp)
                } else if let known = PayloadTypeMap.codec(named: codec) {
                    add(codec.payloadType, Entry(codec: known), port: port, source: .sdp)
                }
            }
        }
    }

    static func codec(named codec: CodecDescription) -> Codec? {
        switch codec.name.lowercased() {
        case "vp8": return .vp8
        case "h264": return .h264
        case "opus": return .opus
        default: return nil
        }
    }
}
