// RFC 8866 section 5.7:
//   connection-field = [%x63 "=" nettype SP addrtype SP connection-address CRLF]

/// A `c=` line. WebRTC peers usually write a placeholder here (`IN IP4 0.0.0.0`) and put the
/// real addresses in ICE candidates.
public struct Connection: Equatable, Hashable, Sendable {
    public var networkType: String
    public var addressType: String
    /// The address as written, including a multicast `/ttl/count` suffix if there is one.
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    init?(value: Substring) {
        let fields = SDPText.fields(value)
        guard fields.count == 3 else { return nil }
        self.init(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    var value: String { "\(networkType) \(addressType) \(address)" }
}
