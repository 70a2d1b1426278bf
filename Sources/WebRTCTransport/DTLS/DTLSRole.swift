/// Which side of the DTLS handshake we are.
public enum DTLSRole: Sendable, Equatable {
    /// Sends the ClientHello.
    case client
    /// Waits for the ClientHello.
    case server

    /// The role our own `a=setup` value gives (RFC 5763 section 5): `active` starts the
    /// handshake, `passive` waits. `actpass` and `holdconn` decide nothing and give `nil`.
    public init?(localSetup: String) {
        switch localSetup.lowercased() {
        case "active": self = .client
        case "passive": self = .server
        default: return nil
        }
    }
}
