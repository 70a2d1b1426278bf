// RFC 8830 section 2:
//   msid-value    = msid-id [ SP msid-appdata ]
// and the session-level semantic line (draft-ietf-mmusic-msid, still sent by browsers and Janus):
//   msid-semantic = "msid-semantic:" [SP] token *(SP msid-id)   e.g. "a=msid-semantic: WMS *"

/// An `a=msid` line: the media stream a track belongs to, and the track id.
public struct MediaStreamID: Equatable, Hashable, Sendable {
    public var streamID: String
    public var trackID: String?

    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 1 || fields.count == 2 else { return nil }
        self.init(streamID: String(fields[0]), trackID: fields.count == 2 ? String(fields[1]) : nil)
    }

    var attributeValue: String {
        if let trackID { "\(streamID) \(trackID)" } else { streamID }
    }
}

/// An `a=msid-semantic` line, e.g. `WMS *`.
public struct MediaStreamIDSemantic: Equatable, Hashable, Sendable {
    public var semantic: String
    public var identifiers: [String]

    public init(semantic: String, identifiers: [String]) {
        self.semantic = semantic
        self.identifiers = identifiers
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard let semantic = fields.first else { return nil }
        self.init(semantic: String(semantic), identifiers: fields.dropFirst().map(String.init))
    }

    var attributeValue: String { ([semantic] + identifiers).joined(separator: " ") }
}
