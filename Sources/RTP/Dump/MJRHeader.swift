import Foundation
import MediaTypes

/// The info header of a Janus recording: a JSON object written before the first packet.
///
/// Keys Janus writes: `t` media kind ("a", "v", "d"), `c` codec, `f` fmtp line, `d` stream
/// description, `x` RTP header extensions by id, `s` creation time and `u` time the first packet
/// was written (both microseconds since the Unix epoch), `or` Opus RED payload type, `e` true for
/// end-to-end encrypted media.
public struct MJRHeader: Sendable, Hashable {
    public enum MediaKind: String, Sendable, Hashable {
        case audio = "a"
        case video = "v"
        case data = "d"
    }

    /// 2 for "MJR00002" (per-packet receive times), 1 for "MJR00001".
    public var version: Int
    public var kind: MediaKind
    /// Codec name as Janus writes it, lowercased: "opus", "vp8", "h264", "text", ...
    public var codec: String
    public var fmtp: String?
    public var streamDescription: String?
    /// RTP header extension URIs by extension id.
    public var extensions: [Int: String]
    public var created: MediaTime?
    public var firstPacketWritten: MediaTime?
    public var opusRedPayloadType: Int?
    public var endToEndEncrypted: Bool

    public init(
        version: Int, kind: MediaKind, codec: String, fmtp: String? = nil, streamDescription: String? = nil,
        extensions: [Int: String] = [:], created: MediaTime? = nil, firstPacketWritten: MediaTime? = nil,
        opusRedPayloadType: Int? = nil, endToEndEncrypted: Bool = false
    ) {
        self.version = version
        self.kind = kind
        self.codec = codec
        self.fmtp = fmtp
        self.streamDescription = streamDescription
        self.extensions = extensions
        self.created = created
        self.firstPacketWritten = firstPacketWritten
        self.opusRedPayloadType = opusRedPayloadType
        self.endToEndEncrypted = endToEndEncrypted
    }

    private struct JSONHeader: Decodable {
        var t: String
        var c: String
        var f: String?
        var d: String?
        var x: [String: String]?
        var s: Int64?
        var u: Int64?
        var or: Int?
        var e: Bool?
    }

    /// Times beyond this (2^62 ns, the year 2116, in microseconds) are damage, not clocks.
    static let latestTime: Int64 = (1 << 62) / 1_000

    /// Parses the JSON text; `offset` is where it starts in the file, for error messages.
    init(version: Int, json: ArraySlice<UInt8>, offset: Int64) throws(DumpError) {
        let raw: JSONHeader
        do {
            raw = try JSONDecoder().decode(JSONHeader.self, from: Data(json))
        } catch {
            throw .malformed(format: .mjr, offset: offset, reason: "info header is not the JSON Janus writes: \(error)")
        }
        guard let kind = MediaKind(rawValue: raw.t.lowercased()) else {
            throw .malformed(format: .mjr, offset: offset, reason: "info header media kind \"\(raw.t)\", expected a, v or d")
        }
        for time in [raw.s, raw.u].compactMap({ $0 }) where !(0...Self.latestTime).contains(time) {
            throw .malformed(format: .mjr, offset: offset, reason: "info header time \(time) µs is out of range")
        }
        var extensions: [Int: String] = [:]
        for (key, uri) in raw.x ?? [:] {
            guard let id = Int(key) else {
                throw .malformed(format: .mjr, offset: offset, reason: "info header extension id \"\(key)\" is not a number")
            }
            extensions[id] = uri
        }
        self.init(
            version: version, kind: kind, codec: raw.c.lowercased(), fmtp: raw.f, streamDescription: raw.d,
            extensions: extensions, created: raw.s.map(MediaTime.microseconds),
            firstPacketWritten: raw.u.map(MediaTime.microseconds), opusRedPayloadType: raw.or,
            endToEndEncrypted: raw.e ?? false)
    }
}
