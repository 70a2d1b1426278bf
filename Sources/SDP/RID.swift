// RFC 8851 section 10:
//   rid-syntax  = %s"a=rid:" rid-id SP rid-dir [ rid-pt-param-list / rid-param-list ]
//   rid-dir     = %s"send" / %s"recv"
//   rid-pt-param-list = SP rid-fmt-list *(";" rid-param)     rid-fmt-list = %s"pt=" fmt *("," fmt)
//   rid-param-list    = SP rid-param *(";" rid-param)        e.g. "max-width=640"

/// An `a=rid` line: one RTP stream (a simulcast layer) and its restrictions.
public struct RID: Equatable, Hashable, Sendable {
    public enum StreamDirection: String, Equatable, Hashable, Sendable {
        case send
        case receive = "recv"
    }

    public var id: String
    public var direction: StreamDirection
    /// `pt=...` and the other restrictions, in order.
    public var restrictions: [FormatParameter]

    public init(id: String, direction: StreamDirection, restrictions: [FormatParameter] = []) {
        self.id = id
        self.direction = direction
        self.restrictions = restrictions
    }

    init?(attributeValue: Substring) {
        let (id, rest) = SDPText.firstField(attributeValue)
        guard let rest else { return nil }
        let (directionText, restrictions) = SDPText.firstField(rest)
        guard let direction = StreamDirection(rawValue: String(directionText)) else { return nil }
        self.init(
            id: String(id), direction: direction, restrictions: restrictions.map { FormatParameter.list($0) } ?? [])
    }

    /// The payload types of the `pt=` restriction; empty when any payload type may be used.
    public var payloadTypes: [UInt8] {
        guard let list = restrictions.value(of: "pt") else { return [] }
        return SDPText.split(Substring(list), separator: ",").compactMap { RTPMap.payloadType(SDPText.trimmed($0)) }
    }

    var attributeValue: String {
        var text = "\(id) \(direction.rawValue)"
        if !restrictions.isEmpty { text += " " + FormatParameter.text(of: restrictions) }
        return text
    }
}
