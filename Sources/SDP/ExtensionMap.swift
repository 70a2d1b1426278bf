// RFC 8285 section 8:
//   extmap = mapentry SP extensionname [SP extensionattributes]
//   mapentry = "extmap:" 1*5DIGIT ["/" direction]
//   extensionname = URI
//   direction = "sendonly" / "recvonly" / "sendrecv" / "inactive"

/// An `a=extmap` line: the local id of an RTP header extension in this session.
public struct ExtensionMap: Equatable, Hashable, Sendable {
    /// Header extension URIs a WebRTC receiver uses.
    public enum URI {
        /// Audio level of the packet (RFC 6464): active-speaker detection.
        public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
        /// The media section the packet belongs to (RFC 9143): BUNDLE demultiplexing.
        public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
        public static let absoluteSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
        public static let transportWideCC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
        /// The simulcast layer of the packet (RFC 8852).
        public static let rtpStreamID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
        public static let repairedRTPStreamID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    }

    public var id: UInt16
    public var direction: Direction?
    public var uri: String
    /// Everything after the URI, as written.
    public var attributes: String?

    public init(id: UInt16, direction: Direction? = nil, uri: String, attributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.attributes = attributes
    }

    init?(attributeValue: Substring) {
        let (entry, rest) = SDPText.firstField(attributeValue)
        guard let rest else { return nil }
        let (idText, directionText) = SDPText.splitOnce(entry, at: "/")
        guard let id = UInt16(idText) else { return nil }
        var direction: Direction?
        if let directionText {
            guard let parsed = Direction(rawValue: String(directionText)) else { return nil }
            direction = parsed
        }
        let (uri, attributes) = SDPText.firstField(rest)
        self.init(id: id, direction: direction, uri: String(uri), attributes: attributes.map(String.init))
    }

    var attributeValue: String {
        var text = String(id)
        if let direction { text += "/" + direction.rawValue }
        text += " " + uri
        if let attributes { text += " " + attributes }
        return text
    }
}
