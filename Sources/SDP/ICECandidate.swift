// RFC 8839 section 5.1:
//   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP
//                         priority SP connection-address SP port SP cand-type
//                         [SP rel-addr] [SP rel-port] *(SP cand-extension)
//   cand-type   = "typ" SP candidate-types     candidate-types = "host" / "srflx" / "prflx" / "relay" / token
//   rel-addr    = "raddr" SP connection-address
//   rel-port    = "rport" SP port
//   cand-extension = extension-att-name SP extension-att-value
// RFC 6544 adds the "tcptype" extension (active / passive / so); browsers add
// "generation", "ufrag", "network-id", "network-cost".
// e.g. "candidate:1 1 udp 2015363583 192.0.2.1 20625 typ host"

/// An ICE candidate from an `a=candidate` line or trickled over signaling.
public struct ICECandidate: Equatable, Hashable, Sendable {
    /// A candidate type token; the four RFC 8445 types are predefined.
    public struct CandidateType: RawRepresentable, Equatable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let host = CandidateType(rawValue: "host")
        public static let serverReflexive = CandidateType(rawValue: "srflx")
        public static let peerReflexive = CandidateType(rawValue: "prflx")
        public static let relay = CandidateType(rawValue: "relay")
    }

    /// An extension pair the model has no field for, e.g. `network-id 1`.
    public struct Extension: Equatable, Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var foundation: String
    /// 1 for RTP; 2 for RTCP when it is not multiplexed.
    public var component: UInt16
    /// `udp` or `tcp` as written; compare case-insensitively.
    public var transport: String
    public var priority: UInt32
    /// An IP address or an mDNS name (`<uuid>.local`).
    public var address: String
    public var port: UInt16
    public var type: CandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    /// RFC 6544: `active`, `passive` or `so` for TCP candidates.
    public var tcpType: String?
    public var generation: UInt32?
    public var extensions: [Extension]

    public init(
        foundation: String, component: UInt16 = 1, transport: String = "udp", priority: UInt32,
        address: String, port: UInt16, type: CandidateType,
        relatedAddress: String? = nil, relatedPort: UInt16? = nil, tcpType: String? = nil,
        generation: UInt32? = nil, extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.generation = generation
        self.extensions = extensions
    }

    /// Parses a candidate as signaling delivers it: `candidate:...`, `a=candidate:...`, with or
    /// without a trailing line break.
    public init(parsing text: String) throws(ICECandidateParseError) {
        var value = SDPText.trimmed(Substring(text))
        while let last = value.last, last == "\r" || last == "\n" || last == "\r\n" {
            value = SDPText.trimmed(value.dropLast())
        }
        if value.hasPrefix("a=") { value = value.dropFirst(2) }
        guard value.hasPrefix("candidate:") else {
            throw ICECandidateParseError(field: .prefix, value: String(value.prefix(16)), candidate: text)
        }
        try self.init(attributeValue: value.dropFirst("candidate:".count), candidate: text)
    }

    /// Parses the value of an `a=candidate` attribute (the text after `candidate:`).
    init(attributeValue: Substring, candidate: String) throws(ICECandidateParseError) {
        let fields = SDPText.fields(attributeValue)
        func field(_ index: Int, _ name: ICECandidateParseError.Field) throws(ICECandidateParseError) -> Substring {
            guard fields.indices.contains(index) else {
                throw ICECandidateParseError(field: name, value: nil, candidate: candidate)
            }
            return fields[index]
        }
        func number<T: FixedWidthInteger>(
            _ text: Substring, _ name: ICECandidateParseError.Field, as: T.Type
        ) throws(ICECandidateParseError) -> T {
            guard let value = T(text) else {
                throw ICECandidateParseError(field: name, value: String(text), candidate: candidate)
            }
            return value
        }

        foundation = String(try field(0, .foundation))
        component = try number(try field(1, .component), .component, as: UInt16.self)
        transport = String(try field(2, .transport))
        priority = try number(try field(3, .priority), .priority, as: UInt32.self)
        address = String(try field(4, .address))
        port = try number(try field(5, .port), .port, as: UInt16.self)
        let keyword = try field(6, .typeKeyword)
        guard keyword == "typ" else {
            throw ICECandidateParseError(field: .typeKeyword, value: String(keyword), candidate: candidate)
        }
        type = CandidateType(rawValue: String(try field(7, .type)))

        relatedAddress = nil
        relatedPort = nil
        tcpType = nil
        generation = nil
        extensions = []
        var index = 8
        while index < fields.count {
            let name = fields[index]
            let value = try field(index + 1, .extensionValue)
            switch name {
            case "raddr": relatedAddress = String(value)
            case "rport": relatedPort = try number(value, .relatedPort, as: UInt16.self)
            case "tcptype": tcpType = String(value)
            case "generation": generation = try number(value, .generation, as: UInt32.self)
            default: extensions.append(Extension(name: String(name), value: String(value)))
            }
            index += 2
        }
    }

    /// The value of the `a=candidate` attribute (after `candidate:`).
    public var attributeValue: String {
        var parts = [
            foundation, String(component), transport, String(priority), address, String(port), "typ", type.rawValue,
        ]
        if let relatedAddress { parts += ["raddr", relatedAddress] }
        if let relatedPort { parts += ["rport", String(relatedPort)] }
        if let tcpType { parts += ["tcptype", tcpType] }
        if let generation { parts += ["generation", String(generation)] }
        for item in extensions { parts += [item.name, item.value] }
        return parts.joined(separator: " ")
    }

    /// The form trickled over signaling: `candidate:...`.
    public var signalingString: String { "candidate:" + attributeValue }
}

/// Why a candidate string did not parse: which field, and what stood there (nil when missing).
public struct ICECandidateParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Field: String, Equatable, Sendable {
        case prefix, foundation, component, transport, priority, address, port
        case typeKeyword = "typ"
        case type, relatedPort, generation, extensionValue
    }

    public var field: Field
    public var value: String?
    public var candidate: String

    public init(field: Field, value: String?, candidate: String) {
        self.field = field
        self.value = value
        self.candidate = candidate
    }

    public var description: String {
        if let value {
            "ICE candidate: invalid \(field.rawValue) '\(value)' in '\(candidate)'"
        } else {
            "ICE candidate: missing \(field.rawValue) in '\(candidate)'"
        }
    }
}
