// RFC 8839 section 5.4:
//   ice-pwd-att   = "ice-pwd:" password
//   ice-ufrag-att = "ice-ufrag:" ufrag

/// The short-term credentials that authenticate ICE connectivity checks.
public struct ICECredentials: Equatable, Hashable, Sendable {
    public var usernameFragment: String
    public var password: String

    public init(usernameFragment: String, password: String) {
        self.usernameFragment = usernameFragment
        self.password = password
    }
}
