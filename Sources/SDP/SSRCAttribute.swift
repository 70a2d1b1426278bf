// RFC 5576 section 4.1 and 4.2:
//   ssrc-attr  = "ssrc:" ssrc-id SP attribute          e.g. "a=ssrc:471029127 cname:janus"
//   attribute  = attribute-name [":" attribute-value]
//   ssrc-group-attr = "ssrc-group:" semantics *(SP ssrc-id)   e.g. "a=ssrc-group:FID 1 2"

/// An `a=ssrc` line: one source attribute (`cname`, `msid`, ...) of one SSRC.
public struct SSRCAttribute: Equatable, Hashable, Sendable {
    public var ssrc: UInt32
    public var name: String
    public var value: String?

    public init(ssrc: UInt32, name: String, value: String? = nil) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    init?(attributeValue: Substring) {
        let (idText, attribute) = SDPText.firstField(attributeValue)
        guard let ssrc = UInt32(idText), let attribute else { return nil }
        let (name, value) = SDPText.splitOnce(attribute, at: ":")
        guard !name.isEmpty else { return nil }
        self.init(ssrc: ssrc, name: String(name), value: value.map(String.init))
    }

    var attributeValue: String {
        if let value { "\(ssrc) \(name):\(value)" } else { "\(ssrc) \(name)" }
    }
}

/// An `a=ssrc-group` line: SSRCs that belong together. `FID` pairs a media SSRC with its
/// retransmission (RTX) SSRC; `SIM` lists simulcast layers, lowest first.
public struct SSRCGroup: Equatable, Hashable, Sendable {
    public static let flowIdentification = "FID"
    public static let simulcast = "SIM"

    public var semantics: String
    public var ssrcs: [UInt32]

    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard let semantics = fields.first else { return nil }
        var ssrcs: [UInt32] = []
        for field in fields.dropFirst() {
            guard let ssrc = UInt32(field) else { return nil }
            ssrcs.append(ssrc)
        }
        self.init(semantics: String(semantics), ssrcs: ssrcs)
    }

    var attributeValue: String { ([semantics] + ssrcs.map(String.init)).joined(separator: " ") }
}

/// A media SSRC and the SSRC that carries its retransmissions (from `a=ssrc-group:FID`).
public struct RetransmissionSSRCPair: Equatable, Hashable, Sendable {
    public var media: UInt32
    public var retransmission: UInt32

    public init(media: UInt32, retransmission: UInt32) {
        self.media = media
        self.retransmission = retransmission
    }
}
