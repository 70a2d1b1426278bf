extension ICEAgent {
    /// One candidate of either side. Only UDP and component 1 are used: the transport bundles
    /// everything on one socket with rtcp-mux.
    public struct Candidate: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            case host
            case serverReflexive = "srflx"
            case peerReflexive = "prflx"
            case relay

            /// RFC 8445 section 5.1.2.2's recommended type preferences.
            public var typePreference: UInt32 {
                switch self {
                case .host: 126
                case .peerReflexive: 110
                case .serverReflexive: 100
                case .relay: 0
                }
            }
        }

        public var foundation: String
        public var component: UInt16
        public var priority: UInt32
        public var address: TransportAddress
        public var kind: Kind
        /// Where a local candidate sends from: itself for a host candidate, the host candidate
        /// it was learned through otherwise. For remote candidates it equals `address`.
        public var base: TransportAddress

        public init(
            foundation: String, component: UInt16 = 1, priority: UInt32, address: TransportAddress,
            kind: Kind, base: TransportAddress? = nil
        ) {
            self.foundation = foundation
            self.component = component
            self.priority = priority
            self.address = address
            self.kind = kind
            self.base = base ?? address
        }

        /// RFC 8445 section 5.1.2.1:
        /// priority = 2^24 * type preference + 2^8 * local preference + (256 - component ID).
        public static func priority(kind: Kind, localPreference: UInt16, component: UInt16 = 1) -> UInt32 {
            kind.typePreference << 24 | UInt32(localPreference) << 8 | (256 - UInt32(min(component, 256)))
        }

        /// RFC 8445 section 5.1.1.3: candidates of the same type from the same base IP share a
        /// foundation. FNV-1a over both, so the value is the same in every run and process.
        public static func foundation(kind: Kind, baseIP: TransportAddress.IP) -> String {
            var hash: UInt32 = 0x811C_9DC5
            for byte in Array(kind.rawValue.utf8) + TransportAddress(ip: baseIP, port: 0).addressBytes {
                hash = (hash ^ UInt32(byte)) &* 0x0100_0193
            }
            return String(hash)
        }

        /// The local preference this candidate's priority carries.
        var localPreference: UInt16 { UInt16(truncatingIfNeeded: priority >> 8) }

        /// In `a=candidate` order, e.g. `1 1 udp 2130706431 192.0.2.1 5000 typ host`.
        public var description: String {
            "\(foundation) \(component) udp \(priority) \(address.host) \(address.port) typ \(kind.rawValue)"
        }
    }

    /// A local candidate (its base is where checks go out) with a remote one.
    public struct CandidatePair: Sendable, Hashable, CustomStringConvertible {
        public var local: Candidate
        public var remote: Candidate

        /// RFC 8445 section 6.1.2.3, with G the controlling agent's candidate priority and D the
        /// controlled agent's: 2^32 * min(G, D) + 2 * max(G, D) + (G > D ? 1 : 0).
        public func priority(localRole: Role) -> UInt64 {
            let (g, d) = localRole == .controlling
                ? (UInt64(local.priority), UInt64(remote.priority))
                : (UInt64(remote.priority), UInt64(local.priority))
            return min(g, d) << 32 + 2 * max(g, d) + (g > d ? 1 : 0)
        }

        var foundation: String { local.foundation + ":" + remote.foundation }

        public var description: String {
            "\(local.kind.rawValue) \(local.base) -> \(remote.kind.rawValue) \(remote.address)"
        }
    }

    public enum Role: String, Sendable, Hashable {
        case controlling
        case controlled
    }

    /// The short-term credentials of one side (`a=ice-ufrag`, `a=ice-pwd`).
    public struct Credentials: Sendable, Hashable {
        public var usernameFragment: String
        public var password: String

        public init(usernameFragment: String, password: String) {
            self.usernameFragment = usernameFragment
            self.password = password
        }

        /// RFC 8839 section 5.4: at least 4 ufrag and 22 password characters from ice-char;
        /// 8 and 24 here, from letters and digits.
        public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Credentials {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            func text(_ count: Int) -> String {
                String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            }
            return Credentials(usernameFragment: text(8), password: text(24))
        }
    }
}
