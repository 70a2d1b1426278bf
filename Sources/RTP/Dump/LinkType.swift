/// A link-layer header type as pcap and pcapng files name it (the LINKTYPE_ registry of
/// tcpdump.org, which pcapng shares).
public struct LinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP under the platform-specific DLT_RAW numbers that older files carry.
    public static let rawIPLegacy = LinkType(rawValue: 12)
    public static let rawIPOpenBSD = LinkType(rawValue: 14)
    /// Raw IP: the packet starts with the IPv4 or IPv6 header.
    public static let rawIP = LinkType(rawValue: 101)
    /// OpenBSD loopback: a 4-byte address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux "cooked" capture (the `any` device), version 1.
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux "cooked" capture, version 2.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: return "null/loopback (0)"
        case .ethernet: return "Ethernet (1)"
        case .rawIPLegacy, .rawIPOpenBSD, .rawIP: return "raw IP (\(rawValue))"
        case .loop: return "OpenBSD loopback (108)"
        case .linuxSLL: return "Linux cooked v1 (113)"
        case .ipv4: return "raw IPv4 (228)"
        case .ipv6: return "raw IPv6 (229)"
        case .linuxSLL2: return "Linux cooked v2 (276)"
        default: return "link type \(rawValue)"
        }
    }
}

/// The network-layer packet inside a link-layer frame, or why there is none to decode.
enum LinkPayload {
    case ipv4(ArraySlice<UInt8>)
    case ipv6(ArraySlice<UInt8>)
    case skipped(DatagramSkipReason)

    /// The packet of a frame with the given link type; `snapped` says the capture cut the frame
    /// short, so a missing header counts as truncation rather than damage.
    init(linkType: LinkType, frame: ArraySlice<UInt8>, snapped: Bool) {
        let bytes = DumpBytes(frame)
        switch linkType {
        case .ethernet:
            self = EthernetHeader.payload(of: bytes, snapped: snapped)
        case .linuxSLL, .linuxSLL2:
            self = LinuxCookedHeader.payload(of: bytes, version2: linkType == .linuxSLL2, snapped: snapped)
        case .null, .loop:
            self = LoopbackHeader.payload(of: bytes, networkOrderOnly: linkType == .loop, snapped: snapped)
        case .rawIP, .rawIPLegacy, .rawIPOpenBSD:
            self = LinkPayload(ipVersionOf: frame, snapped: snapped)
        case .ipv4:
            self = .ipv4(frame)
        case .ipv6:
            self = .ipv6(frame)
        default:
            self = .skipped(.unsupportedLinkType)
        }
    }

    /// A payload identified by an EtherType (Ethernet, Linux cooked captures).
    init(etherType: UInt16, payload: ArraySlice<UInt8>) {
        switch etherType {
        case 0x0800: self = .ipv4(payload)
        case 0x86DD: self = .ipv6(payload)
        default: self = .skipped(.notIP)
        }
    }

    /// A payload identified by the version nibble of its first byte (raw IP link types).
    init(ipVersionOf packet: ArraySlice<UInt8>, snapped: Bool) {
        switch DumpBytes(packet).uint8(at: 0).map({ $0 >> 4 }) {
        case 4: self = .ipv4(packet)
        case 6: self = .ipv6(packet)
        case nil: self = .skipped(snapped ? .truncated : .malformed)
        default: self = .skipped(.notIP)
        }
    }
}
