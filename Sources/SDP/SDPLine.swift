/// A `<type>=<value>` line the model has no typed field for: `i=`, `u=`, `e=`, `p=`, `b=`,
/// `r=`, `z=`, `k=`, a repeated `c=` or `t=`, and types RFC 8866 does not define. They are
/// kept so that a description survives a parse and serialize round trip.
public struct SDPLine: Equatable, Hashable, Sendable {
    public var type: Character
    public var value: String

    public init(type: Character, value: String) {
        self.type = type
        self.value = value
    }

    /// Position in RFC 8866's fixed line order (section 5); unknown types go last, just
    /// before the attributes. Serialization places kept lines by this rank.
    var orderRank: Int {
        switch type {
        case "i": 0
        case "u": 1
        case "e": 2
        case "p": 3
        case "c": SDPLine.connectionRank
        case "b": 5
        case "t": SDPLine.timingRank
        case "r": 7
        case "z": 8
        case "k": 9
        default: 10
        }
    }

    static let connectionRank = 4
    static let timingRank = 6

    var text: String { "\(type)=\(value)" }
}
