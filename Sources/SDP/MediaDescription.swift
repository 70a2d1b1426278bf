// RFC 8866 section 5.14:
//   media-field = %x6d "=" media SP port ["/" integer] SP proto 1*(SP fmt) CRLF
// followed by the section's own i=, c=, b=, k= and a= lines.

/// The `media` token of an m= line.
public struct MediaKind: RawRepresentable, Equatable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let audio = MediaKind(rawValue: "audio")
    public static let video = MediaKind(rawValue: "video")
    /// Data channels (`UDP/DTLS/SCTP webrtc-datachannel`).
    public static let application = MediaKind(rawValue: "application")
}

/// One media section: an m= line and the lines up to the next m= line.
public struct MediaDescription: Equatable, Hashable, Sendable, SharedAttributes {
    public var kind: MediaKind
    /// 0 rejects the section (unless it is `a=bundle-only`); 9 is the usual placeholder.
    public var port: UInt16
    public var portCount: UInt16?
    /// `UDP/TLS/RTP/SAVPF` for WebRTC media.
    public var transportProtocol: String
    /// Payload types for RTP, other tokens (`webrtc-datachannel`) otherwise; at least one.
    public var formats: [String]
    public var connection: Connection?
    public var otherLines: [SDPLine] = []

    public var mid: String?
    public var direction: Direction?
    public var iceUfrag: String?
    public var icePassword: String?
    public var iceOptions: [String] = []
    public var fingerprints: [Fingerprint] = []
    public var setup: SetupRole?
    public var extensionMaps: [ExtensionMap] = []
    /// RTP and RTCP share one port (RFC 5761).
    public var rtcpMux = false
    /// Reduced-size RTCP is allowed (RFC 5506).
    public var rtcpReducedSize = false
    public var rtpMaps: [RTPMap] = []
    public var rtcpFeedback: [RTCPFeedback] = []
    public var formatParameters: [FormatParameters] = []
    public var mediaStreamIDs: [MediaStreamID] = []
    public var ssrcGroups: [SSRCGroup] = []
    public var ssrcAttributes: [SSRCAttribute] = []
    public var rids: [RID] = []
    public var simulcast: Simulcast?
    public var candidates: [ICECandidate] = []
    public var endOfCandidates = false
    /// Attributes without a typed field, and typed ones whose value did not parse, in order.
    public var otherAttributes: [Attribute] = []

    public init(
        kind: MediaKind, port: UInt16 = 9, portCount: UInt16? = nil,
        transportProtocol: String = "UDP/TLS/RTP/SAVPF", formats: [String], connection: Connection? = nil
    ) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.transportProtocol = transportProtocol
        self.formats = formats
        self.connection = connection
    }

    /// Whether the section carries `a=bundle-only` (RFC 9143): port 0 then does not reject it.
    public var isBundleOnly: Bool { otherAttributes.contains { $0.name == "bundle-only" } }

    /// Whether the writer rejected or disabled this section.
    public var isRejected: Bool { port == 0 && !isBundleOnly }

    // MARK: Codecs

    /// The RTP payload types of the m= line, in preference order, with their rtpmap, fmtp
    /// and feedback. Dynamic payload types without an `a=rtpmap` are left out.
    public var codecs: [CodecDescription] {
        var seen: Set<UInt8> = []
        return formats.compactMap { format in
            guard let payloadType = RTPMap.payloadType(Substring(format)), seen.insert(payloadType).inserted
            else { return nil }
            return codec(payloadType: payloadType)
        }
    }

    /// The codec of `payloadType`: its `a=rtpmap`, or the RFC 3551 static assignment.
    public func codec(payloadType: UInt8) -> CodecDescription? {
        guard
            let map = rtpMaps.first(where: { $0.payloadType == payloadType })
                ?? CodecDescription.staticPayloadType(payloadType)
        else { return nil }
        return CodecDescription(
            payloadType: payloadType, name: map.encodingName, clockRate: map.clockRate, channels: map.channels,
            parameters: formatParameters.first { $0.payloadType == payloadType }?.parameters ?? [],
            feedback: rtcpFeedback.filter { $0.payloadType == nil || $0.payloadType == payloadType })
    }

    /// RTX payload type by the payload type it retransmits (from `apt=`).
    public var retransmissionPayloadTypes: [UInt8: UInt8] {
        var mapping: [UInt8: UInt8] = [:]
        for codec in codecs where codec.isRetransmission {
            if let primary = codec.associatedPayloadType, mapping[primary] == nil {
                mapping[primary] = codec.payloadType
            }
        }
        return mapping
    }

    // MARK: Header extensions

    /// The id of the header extension `uri` in this section (`ExtensionMap.URI`), ignoring
    /// session-level maps; `SessionDescription.extensionID(for:inMediaAt:)` includes them.
    public func extensionID(for uri: String) -> UInt16? {
        extensionMaps.first { $0.uri == uri }?.id
    }

    // MARK: Sources

    /// Every SSRC the section announces (`a=ssrc`, `a=ssrc-group`), in order of appearance.
    public var ssrcs: [UInt32] {
        var seen: Set<UInt32> = []
        let all = ssrcGroups.flatMap(\.ssrcs) + ssrcAttributes.map(\.ssrc)
        return all.filter { seen.insert($0).inserted }
    }

    /// The media/RTX SSRC pairs of the `a=ssrc-group:FID` lines.
    public var retransmissionSSRCPairs: [RetransmissionSSRCPair] {
        ssrcGroups.compactMap { group in
            guard group.semantics.uppercased() == SSRCGroup.flowIdentification, group.ssrcs.count == 2
            else { return nil }
            return RetransmissionSSRCPair(media: group.ssrcs[0], retransmission: group.ssrcs[1])
        }
    }

    /// The `cname` source attribute of `ssrc`.
    public func canonicalName(ofSSRC ssrc: UInt32) -> String? {
        ssrcAttributes.first { $0.ssrc == ssrc && $0.name == "cname" }?.value
    }
}
