import SDP

/// A change of a `PeerConnection`'s state, in order.
public enum PeerConnectionEvent: Sendable, Equatable {
    /// ICE selected the pair media flows over.
    case iceConnected(ICEAgent.CandidatePair)
    /// DTLS completed; SRTP is keyed with this profile.
    case dtlsConnected(SRTPProtectionProfile)
    /// A local candidate learned after the answer (server-reflexive, from the STUN server),
    /// for the signaling to trickle.
    case localCandidate(SDP.ICECandidate)
    /// No further local candidates; without a STUN server the answer already says so.
    case endOfLocalCandidates
    /// The STUN server gave no server-reflexive address (`reason` says why); the host
    /// candidate still works where the peer can reach it.
    case serverReflexiveFailed(reason: String)
    /// A renegotiation added or ended tracks.
    case tracksChanged(TrackChanges)
    /// The peer closed DTLS (close_notify).
    case closedByPeer
    /// The connection stopped for good.
    case failed(PeerConnectionError)
}

/// Why a `PeerConnection` could not be set up or stopped working.
public enum PeerConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidOffer(SDPParseError)
    /// The offer lacks something a connection needs (`field` names it).
    case incompleteOffer(field: String, reason: String)
    /// No offered m-line could be accepted.
    case noAcceptedMedia(rejected: [Answer.RejectedMedia])
    case invalidBindAddress(String)
    /// No port of the range could be bound; `lastError` is the last bind's error.
    case noPortAvailable(address: String, ports: ClosedRange<UInt16>, lastError: String)
    /// The event loop or the socket failed underneath (`reason` is SwiftNIO's error).
    case socket(reason: String)
    case dtls(DTLSError)
    case srtp(SRTPError)
    case ice(ICEAgent.Failure)
    /// The selected pair stopped answering consent checks.
    case consentLost(ICEAgent.CandidatePair)
    /// A renegotiated offer changes what the running transport cannot (`field` names it): ICE
    /// credentials (an ICE restart), the certificate fingerprint, the DTLS setup role.
    case unsupportedRenegotiation(field: String, reason: String)
    /// The connection was closed or has failed.
    case closed

    public var description: String {
        switch self {
        case .invalidOffer(let error): "invalid offer: \(error)"
        case .incompleteOffer(let field, let reason): "offer unusable: \(field): \(reason)"
        case .noAcceptedMedia(let rejected):
            "no media section of the offer can be received: "
                + rejected.map { "section \($0.index) (mid \($0.mid ?? "none")): \($0.reason)" }.joined(separator: "; ")
        case .invalidBindAddress(let address): "bind address \"\(address)\" is not an IP literal"
        case .noPortAvailable(let address, let ports, let lastError):
            "no UDP port in \(ports.lowerBound)...\(ports.upperBound) could be bound on \(address): \(lastError)"
        case .socket(let reason): "UDP socket: \(reason)"
        case .dtls(let error): error.description
        case .srtp(let error): error.description
        case .ice(let failure): failure.description
        case .consentLost(let pair): "ICE consent lost on \(pair)"
        case .unsupportedRenegotiation(let field, let reason): "renegotiated offer refused: \(field): \(reason)"
        case .closed: "the peer connection is closed"
        }
    }
}
