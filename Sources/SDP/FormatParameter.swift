// The `;`-separated parameter lists of a=fmtp (RFC 8866 section 6.15, format-specific, here
// the common `name=value;name=value` form) and of a=rid restrictions (RFC 8851 section 10):
//   param-list = param *(";" param)
//   param      = name ["=" value]

/// One entry of a parameter list: `apt=96`, `packetization-mode=1`, or a bare token such as
/// telephone-event's `0-16` (then `value` is nil).
public struct FormatParameter: Equatable, Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Parses `text`; blanks around entries are ignored and empty entries dropped.
    static func list(_ text: Substring) -> [FormatParameter] {
        SDPText.split(text, separator: ";").compactMap { entry in
            let trimmedEntry = SDPText.trimmed(entry)
            guard !trimmedEntry.isEmpty else { return nil }
            let (name, value) = SDPText.splitOnce(trimmedEntry, at: "=")
            return FormatParameter(
                name: String(SDPText.trimmed(name)), value: value.map { String(SDPText.trimmed($0)) })
        }
    }

    static func text(of list: [FormatParameter]) -> String {
        list.map { parameter in
            if let value = parameter.value { "\(parameter.name)=\(value)" } else { parameter.name }
        }.joined(separator: ";")
    }
}

extension Array where Element == FormatParameter {
    /// The value of the first parameter called `name` (case-insensitive, as in RFC 6184).
    public func value(of name: String) -> String? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }?.value
    }
}
