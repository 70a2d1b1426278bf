/// IPv6 header (RFC 8200):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |Version| Traffic Class |           Flow Label                  |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Payload Length        |  Next Header  |   Hop Limit   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Source Address (16 bytes)                  |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                 Destination Address (16 bytes)                |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Extension headers followed to reach UDP: Hop-by-Hop (0), Routing (43), Destination Options
/// (60) and Mobility (135), all "next header, length in 8-octet units not counting the first";
/// Authentication (51), whose length counts 4-octet units minus 2; Fragment (44), 8 bytes:
///
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         Identification                        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Anything else (ESP, No Next Header, ...) ends the walk as the transport protocol.
enum IPv6Header {
    static let length = 40
    static let optionHeaders: Set<UInt8> = [0, 43, 60, 135]
    static let fragmentHeader: UInt8 = 44
    static let authenticationHeader: UInt8 = 51
    /// More extension headers than this in one packet is not plausible traffic.
    static let maximumExtensionHeaders = 8

    static func payload(of packet: ArraySlice<UInt8>, snapped: Bool) -> IPPayload {
        let bytes = DumpBytes(packet)
        let cut: DatagramSkipReason = snapped ? .truncated : .malformed
        guard let version = bytes.uint8(at: 0), let payloadLength = bytes.uint16(at: 4),
            var nextHeader = bytes.uint8(at: 6),
            let source = bytes.slice(at: 8, length: 16).flatMap(IPAddress.init(bytes:)),
            let destination = bytes.slice(at: 24, length: 16).flatMap(IPAddress.init(bytes:))
        else { return .skipped(cut) }
        guard version >> 4 == 6 else { return .skipped(.malformed) }
        // Payload Length 0 means a jumbogram or an offloaded segment: take what is there.
        let end = payloadLength == 0 ? bytes.count : length + Int(payloadLength)
        guard let body = bytes.slice(at: length, length: end - length) else { return .skipped(cut) }
        let extensions = DumpBytes(body)
        var offset = 0
        for _ in 0...maximumExtensionHeaders {
            let headerLength: Int
            if optionHeaders.contains(nextHeader) {
                guard let units = extensions.uint8(at: offset + 1) else { return .skipped(cut) }
                headerLength = (Int(units) + 1) * 8
            } else if nextHeader == authenticationHeader {
                guard let units = extensions.uint8(at: offset + 1) else { return .skipped(cut) }
                headerLength = (Int(units) + 2) * 4
            } else if nextHeader == fragmentHeader {
                guard let offsetAndFlags = extensions.uint16(at: offset + 2) else { return .skipped(cut) }
                // An "atomic" fragment (offset 0, no more fragments) holds the whole datagram.
                if offsetAndFlags & 0xFFF9 != 0 { return .skipped(.fragment) }
                headerLength = 8
            } else {
                guard let payload = extensions.suffix(from: offset) else { return .skipped(cut) }
                return .transport(protocolNumber: nextHeader, source: source, destination: destination, payload: payload)
            }
            guard let following = extensions.uint8(at: offset), offset + headerLength <= extensions.count else {
                return .skipped(cut)
            }
            nextHeader = following
            offset += headerLength
        }
        return .skipped(.malformed)
    }
}
