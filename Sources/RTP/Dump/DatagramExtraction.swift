/// Why a captured packet yielded no UDP datagram; each reason has its counter in `DumpCounters`.
enum DatagramSkipReason: Sendable, Hashable {
    case notIP, notUDP, fragment, truncated, malformed, unsupportedLinkType
}

/// A UDP datagram found inside a captured link-layer frame, or why there is none.
enum DatagramExtraction {
    case datagram(source: IPEndpoint, destination: IPEndpoint, payload: ArraySlice<UInt8>)
    case skipped(DatagramSkipReason)

    /// Walks link layer, IP and UDP headers. `snapped` says the capture stored less than the
    /// packet's original length, which turns "header runs past the end" into truncation.
    init(linkType: LinkType, frame: ArraySlice<UInt8>, snapped: Bool) {
        let ip: IPPayload
        switch LinkPayload(linkType: linkType, frame: frame, snapped: snapped) {
        case .ipv4(let packet): ip = IPv4Header.payload(of: packet, snapped: snapped)
        case .ipv6(let packet): ip = IPv6Header.payload(of: packet, snapped: snapped)
        case .skipped(let reason): ip = .skipped(reason)
        }
        switch ip {
        case .skipped(let reason):
            self = .skipped(reason)
        case .transport(let protocolNumber, let source, let destination, let payload):
            self = protocolNumber == UDPHeader.protocolNumber
                ? UDPHeader.datagram(in: payload, from: source, to: destination, snapped: snapped)
                : .skipped(.notUDP)
        }
    }
}
