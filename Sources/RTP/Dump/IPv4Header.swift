/// IPv4 header (RFC 791):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |Version|  IHL  |Type of Service|          Total Length         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Identification        |Flags|      Fragment Offset    |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Time to Live |    Protocol   |         Header Checksum       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                       Source Address                          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Destination Address                        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Options                    |    Padding    |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Checksums are not verified: captures on the sending host see packets before the NIC fills
/// them in.
enum IPv4Header {
    static let minimumLength = 20

    /// The transport payload of an IPv4 packet. Trailing bytes beyond Total Length (Ethernet
    /// padding) are cut off; fragments are skipped because they are not reassembled.
    static func payload(of packet: ArraySlice<UInt8>, snapped: Bool) -> IPPayload {
        let bytes = DumpBytes(packet)
        let cut: DatagramSkipReason = snapped ? .truncated : .malformed
        guard let versionAndLength = bytes.uint8(at: 0), let totalLength = bytes.uint16(at: 2),
            let flagsAndOffset = bytes.uint16(at: 6), let protocolNumber = bytes.uint8(at: 9),
            let source = bytes.slice(at: 12, length: 4).flatMap(IPAddress.init(bytes:)),
            let destination = bytes.slice(at: 16, length: 4).flatMap(IPAddress.init(bytes:))
        else { return .skipped(cut) }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard versionAndLength >> 4 == 4, headerLength >= minimumLength else { return .skipped(.malformed) }
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = flagsAndOffset & 0x1FFF
        if moreFragments || fragmentOffset != 0 { return .skipped(.fragment) }
        // Total Length 0 appears in captures of segmentation-offloaded packets: take what is there.
        let end = totalLength == 0 ? bytes.count : Int(totalLength)
        guard end >= headerLength else { return .skipped(.malformed) }
        guard let payload = bytes.slice(at: headerLength, length: end - headerLength) else {
            return .skipped(cut)
        }
        return .transport(protocolNumber: protocolNumber, source: source, destination: destination, payload: payload)
    }
}

/// The transport-layer payload of an IP packet, or why there is none to decode.
enum IPPayload {
    case transport(protocolNumber: UInt8, source: IPAddress, destination: IPAddress, payload: ArraySlice<UInt8>)
    case skipped(DatagramSkipReason)
}
