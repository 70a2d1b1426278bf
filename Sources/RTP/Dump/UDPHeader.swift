/// UDP header (RFC 768):
///
///      0      7 8     15 16    23 24    31
///     +--------+--------+--------+--------+
///     |     Source      |   Destination   |
///     |      Port       |      Port       |
///     +--------+--------+--------+--------+
///     |     Length      |    Checksum     |
///     +--------+--------+--------+--------+
///     |          data octets ...
///     +---------------- ...
enum UDPHeader {
    static let length = 8
    static let protocolNumber: UInt8 = 17

    /// The datagram's endpoints and payload, cut to its Length field.
    static func datagram(
        in segment: ArraySlice<UInt8>, from source: IPAddress, to destination: IPAddress, snapped: Bool
    ) -> DatagramExtraction {
        let bytes = DumpBytes(segment)
        let cut: DatagramSkipReason = snapped ? .truncated : .malformed
        guard let sourcePort = bytes.uint16(at: 0), let destinationPort = bytes.uint16(at: 2),
            let lengthField = bytes.uint16(at: 4)
        else { return .skipped(cut) }
        // Length 0 only occurs in IPv6 jumbograms (RFC 2675): the IP layer gives the length.
        let end = lengthField == 0 ? bytes.count : Int(lengthField)
        guard end >= length else { return .skipped(.malformed) }
        guard let payload = bytes.slice(at: length, length: end - length) else { return .skipped(cut) }
        return .datagram(
            source: IPEndpoint(address: source, port: sourcePort),
            destination: IPEndpoint(address: destination, port: destinationPort),
            payload: payload)
    }
}
