// RFC 8866 section 9:
//   session-description = version-field origin-field session-name-field
//                         [information-field] [uri-field] *email-field *phone-field
//                         [connection-field] *bandwidth-field 1*time-description
//                         [key-field] *attribute-field *media-description

/// A parsed SDP offer or answer, as WebRTC peers and meeting servers exchange them
/// (RFC 8866, JSEP RFC 9429). `init(parsing:)` reads one, `text` writes it back.
public struct SessionDescription: Equatable, Hashable, Sendable, SharedAttributes {
    public var origin: Origin
    public var sessionName: String
    public var connection: Connection?
    public var timing: Timing
    public var otherLines: [SDPLine] = []

    public var groups: [MediaGroup] = []
    public var mediaStreamIDSemantics: [MediaStreamIDSemantic] = []
    /// The writer is an ICE-lite agent (RFC 8445 section 2.5): it never sends checks.
    public var iceLite = false
    public var direction: Direction?
    public var iceUfrag: String?
    public var icePassword: String?
    public var iceOptions: [String] = []
    public var fingerprints: [Fingerprint] = []
    public var setup: SetupRole?
    public var extensionMaps: [ExtensionMap] = []
    public var otherAttributes: [Attribute] = []

    public var media: [MediaDescription] = []

    public init(
        origin: Origin, sessionName: String = "-", connection: Connection? = nil, timing: Timing = Timing(),
        media: [MediaDescription] = []
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.timing = timing
        self.media = media
    }

    /// The `a=group:BUNDLE` groups.
    public var bundleGroups: [MediaGroup] { groups.filter(\.isBundle) }

    /// The index of the media section with `a=mid:<mid>`.
    public func mediaIndex(mid: String) -> Int? {
        media.firstIndex { $0.mid == mid }
    }

    // MARK: Values resolved media level over session level

    /// The ICE credentials that apply to media section `index`.
    public func iceCredentials(forMediaAt index: Int) -> ICECredentials? {
        let section = media.indices.contains(index) ? media[index] : nil
        guard let ufrag = section?.iceUfrag ?? iceUfrag, let password = section?.icePassword ?? icePassword
        else { return nil }
        return ICECredentials(usernameFragment: ufrag, password: password)
    }

    /// The certificate fingerprints that apply to media section `index`.
    public func fingerprints(forMediaAt index: Int) -> [Fingerprint] {
        guard media.indices.contains(index), !media[index].fingerprints.isEmpty else { return fingerprints }
        return media[index].fingerprints
    }

    /// The DTLS setup role that applies to media section `index`.
    public func setup(forMediaAt index: Int) -> SetupRole? {
        (media.indices.contains(index) ? media[index].setup : nil) ?? setup
    }

    /// The direction of media section `index`; `sendrecv` when neither level says.
    public func direction(forMediaAt index: Int) -> Direction {
        (media.indices.contains(index) ? media[index].direction : nil) ?? direction ?? .sendReceive
    }

    /// The header extension maps that apply to media section `index`: its own, then the
    /// session-level ones (RFC 8285 section 6) whose URI it does not map itself.
    public func extensionMaps(forMediaAt index: Int) -> [ExtensionMap] {
        let own = media.indices.contains(index) ? media[index].extensionMaps : []
        return own + extensionMaps.filter { map in !own.contains { $0.uri == map.uri } }
    }

    /// The id of header extension `uri` (`ExtensionMap.URI`) in media section `index`.
    public func extensionID(for uri: String, inMediaAt index: Int) -> UInt16? {
        extensionMaps(forMediaAt: index).first { $0.uri == uri }?.id
    }
}
