// RFC 4145 section 4 / RFC 8842:
//   setup-attr = "a=setup:" role
//   role       = "active" / "passive" / "actpass" / "holdconn"

/// Which side starts the DTLS handshake (`active` is the DTLS client).
public enum SetupRole: String, Equatable, Hashable, Sendable, CaseIterable {
    case active
    case passive
    case actpass
    case holdconn

    /// The role an answerer takes for this offered role (RFC 8842 section 5.3); an `actpass`
    /// offer is answered `active`, so the answerer is the DTLS client.
    public var answerRole: SetupRole {
        switch self {
        case .actpass, .passive: .active
        case .active: .passive
        case .holdconn: .holdconn
        }
    }
}
