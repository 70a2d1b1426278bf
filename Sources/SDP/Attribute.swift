// RFC 8866 section 5.13:
//   attribute-fields = *(%x61 "=" attribute CRLF)
//   attribute        = (attribute-name ":" attribute-value) / attribute-name

/// An `a=` line as written: a property attribute (`a=rtcp-mux`, `value` nil) or a value
/// attribute (`a=sctp-port:5000`). Attributes without a typed field in the model, and
/// known attributes whose value does not parse, are kept in this form.
public struct Attribute: Equatable, Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    var text: String {
        if let value { "a=\(name):\(value)" } else { "a=\(name)" }
    }
}
