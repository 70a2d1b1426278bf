// JSEP (RFC 9429) section 5.3: an answer has one m= section per offered one, in the same
// order, with the same mid; a rejected section gets port 0. The answers built here only
// receive: a recording bot never sends media.

/// What the local side brings to an answer.
public struct AnswerConfiguration: Sendable {
    public var iceCredentials: ICECredentials
    /// Of the local DTLS certificate.
    public var fingerprints: [Fingerprint]
    public var sessionID: UInt64
    /// Increase it for every new answer in the same session (renegotiation).
    public var sessionVersion: UInt64 = 1
    public var codecs: [SupportedCodec] = SupportedCodec.defaults
    /// Accept RTX (RFC 4588) payload types whose `apt` is an accepted codec.
    public var acceptsRetransmission = true
    /// Header extensions echoed when offered (`ExtensionMap.URI`).
    public var headerExtensions: [String] = [
        ExtensionMap.URI.mid, ExtensionMap.URI.audioLevel, ExtensionMap.URI.absoluteSendTime,
    ]
    /// RTCP feedback echoed when offered; the payload type of these entries is ignored.
    public var feedback: [RTCPFeedback] = [
        RTCPFeedback(payloadType: nil, type: "nack"),
        RTCPFeedback(payloadType: nil, type: "nack", parameter: "pli"),
        RTCPFeedback(payloadType: nil, type: "ccm", parameter: "fir"),
    ]
    public var iceOptions: [String] = ["trickle"]
    /// Candidates written into every accepted section (empty when they are trickled).
    public var candidates: [ICECandidate] = []
    public var endOfCandidates = false
    /// The `a=setup` of every section whatever the offer says; nil answers the offered role.
    /// A renegotiation keeps the DTLS role already established (RFC 8842 section 5.5).
    public var setup: SetupRole?

    public init(iceCredentials: ICECredentials, fingerprints: [Fingerprint], sessionID: UInt64) {
        self.iceCredentials = iceCredentials
        self.fingerprints = fingerprints
        self.sessionID = sessionID
    }
}

/// An answer and the offered sections it rejected, with the reason (for the logs).
public struct Answer: Equatable, Sendable {
    public struct RejectedMedia: Equatable, Sendable {
        public enum Reason: Error, Equatable, Sendable {
            /// The offerer itself disabled the section (port 0).
            case rejectedInOffer
            case unsupportedKind(MediaKind)
            case unsupportedTransport(String)
            /// None of the offered codecs (`name/clock rate`) is supported.
            case noSupportedCodec(offered: [String])
        }

        /// Of the section in the offer (and the answer).
        public var index: Int
        public var mid: String?
        public var reason: Reason

        public init(index: Int, mid: String?, reason: Reason) {
            self.index = index
            self.mid = mid
            self.reason = reason
        }
    }

    public var session: SessionDescription
    public var rejectedMedia: [RejectedMedia]
}

extension SessionDescription {
    /// A receive-only answer to `offer`.
    public static func answer(to offer: SessionDescription, configuration: AnswerConfiguration) -> Answer {
        var session = SessionDescription(
            origin: Origin(sessionID: configuration.sessionID, sessionVersion: configuration.sessionVersion))
        var rejected: [Answer.RejectedMedia] = []
        for index in offer.media.indices {
            let offered = offer.media[index]
            switch offer.answerMedia(at: index, configuration: configuration) {
            case .success(let section):
                session.media.append(section)
            case .failure(let reason):
                rejected.append(Answer.RejectedMedia(index: index, mid: offered.mid, reason: reason))
                var section = MediaDescription(
                    kind: offered.kind, port: 0, transportProtocol: offered.transportProtocol,
                    formats: offered.formats, connection: Connection())
                section.mid = offered.mid
                section.rtcpMux = offered.rtcpMux
                // Some peers (aiortc) check ICE and DTLS attributes on every section, rejected or not.
                offer.addLocalTransport(to: &section, answeringMediaAt: index, configuration: configuration)
                session.media.append(section)
            }
        }
        let acceptedMids = Set(session.media.filter { $0.port != 0 }.compactMap(\.mid))
        session.groups = offer.bundleGroups.compactMap { group in
            let mids = group.mids.filter(acceptedMids.contains)
            return mids.isEmpty ? nil : MediaGroup(semantics: group.semantics, mids: mids)
        }
        return Answer(session: session, rejectedMedia: rejected)
    }

    private func answerMedia(
        at index: Int, configuration: AnswerConfiguration
    ) -> Result<MediaDescription, Answer.RejectedMedia.Reason> {
        let offered = media[index]
        guard !offered.isRejected else { return .failure(.rejectedInOffer) }
        guard configuration.codecs.contains(where: { $0.kind == offered.kind }) else {
            return .failure(.unsupportedKind(offered.kind))
        }
        guard offered.transportProtocol.uppercased().contains("RTP/SAVP") else {
            return .failure(.unsupportedTransport(offered.transportProtocol))
        }
        let offeredCodecs = offered.codecs
        let primaries = offeredCodecs.filter { codec in
            !codec.isRetransmission && configuration.codecs.contains { $0.accepts(codec, in: offered.kind) }
        }
        guard !primaries.isEmpty else {
            return .failure(.noSupportedCodec(offered: offeredCodecs.map { "\($0.name)/\($0.clockRate)" }))
        }
        let primaryTypes = Set(primaries.map(\.payloadType))
        let accepted = offeredCodecs.filter { codec in
            if codec.isRetransmission {
                return configuration.acceptsRetransmission
                    && codec.associatedPayloadType.map(primaryTypes.contains) == true
            }
            return primaryTypes.contains(codec.payloadType)
        }

        var section = MediaDescription(
            kind: offered.kind, port: 9, transportProtocol: offered.transportProtocol,
            formats: accepted.map { String($0.payloadType) }, connection: Connection())
        section.mid = offered.mid
        section.direction = direction(forMediaAt: index).sends ? .receiveOnly : .inactive
        addLocalTransport(to: &section, answeringMediaAt: index, configuration: configuration)
        section.extensionMaps = extensionMaps(forMediaAt: index)
            .filter { configuration.headerExtensions.contains($0.uri) }
            .map { ExtensionMap(id: $0.id, uri: $0.uri) }
        section.rtcpMux = offered.rtcpMux
        section.rtcpReducedSize = offered.rtcpReducedSize
        for codec in accepted {
            section.rtpMaps.append(
                RTPMap(
                    payloadType: codec.payloadType, encodingName: codec.name, clockRate: codec.clockRate,
                    channels: codec.channels))
            var echoed: [RTCPFeedback] = []
            for feedback in codec.feedback
            where configuration.feedback.contains(where: feedback.isSameMessage)
                && !echoed.contains(where: feedback.isSameMessage)
            {
                echoed.append(
                    RTCPFeedback(payloadType: codec.payloadType, type: feedback.type, parameter: feedback.parameter))
            }
            section.rtcpFeedback += echoed
            if !codec.parameters.isEmpty {
                section.formatParameters.append(
                    FormatParameters(payloadType: codec.payloadType, parameters: codec.parameters))
            }
        }
        section.candidates = configuration.candidates
        section.endOfCandidates = configuration.endOfCandidates
        return .success(section)
    }

    /// Our ICE credentials and DTLS fingerprints, and the setup role answering the offered one.
    private func addLocalTransport(
        to section: inout MediaDescription, answeringMediaAt index: Int, configuration: AnswerConfiguration
    ) {
        section.iceUfrag = configuration.iceCredentials.usernameFragment
        section.icePassword = configuration.iceCredentials.password
        section.iceOptions = configuration.iceOptions
        section.fingerprints = configuration.fingerprints
        section.setup = configuration.setup ?? (setup(forMediaAt: index) ?? .actpass).answerRole
    }
}
