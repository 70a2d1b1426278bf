// RFC 8866 section 5.2:
//   origin-field = %x6f "=" username SP sess-id SP sess-version SP
//                  nettype SP addrtype SP unicast-address CRLF

/// The `o=` line: who created the description and which version of the session it is.
public struct Origin: Equatable, Hashable, Sendable {
    public var username: String
    public var sessionID: UInt64
    /// Increases with every new offer or answer of the same session (renegotiation).
    public var sessionVersion: UInt64
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(
        username: String = "-", sessionID: UInt64, sessionVersion: UInt64,
        networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0"
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    init?(value: Substring) {
        let fields = SDPText.fields(value)
        guard fields.count == 6,
            let sessionID = UInt64(fields[1]),
            let sessionVersion = UInt64(fields[2])
        else { return nil }
        self.init(
            username: String(fields[0]), sessionID: sessionID, sessionVersion: sessionVersion,
            networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }

    var value: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)"
    }
}
