// RFC 5888 section 5:
//   group-attribute = "a=group:" semantics *(SP identification-tag)
// BUNDLE (RFC 9143) is the semantics WebRTC uses: all listed m-lines share one transport.

/// An `a=group` line: a set of media sections, named by their `mid`.
public struct MediaGroup: Equatable, Hashable, Sendable {
    public static let bundle = "BUNDLE"

    public var semantics: String
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard let semantics = fields.first else { return nil }
        self.init(semantics: String(semantics), mids: fields.dropFirst().map(String.init))
    }

    public var isBundle: Bool { semantics.uppercased() == MediaGroup.bundle }

    var attributeValue: String { ([semantics] + mids).joined(separator: " ") }
}
