/// Ethernet II header (IEEE 802.3), optionally with IEEE 802.1Q / 802.1ad VLAN tags:
///
///      0                   6                  12      14
///     +-------------------+-------------------+-------+-------------
///     |  destination MAC  |    source MAC     | type  | payload ...
///     +-------------------+-------------------+-------+-------------
///
/// A VLAN tag sits where `type` would be: TPID 0x8100 (or 0x88A8, 0x9100), a 2-byte tag control
/// field, then the real type. A type below 0x0600 is an 802.3 length (LLC frames, never IP).
enum EthernetHeader {
    static let length = 14
    static let vlanTagTypes: Set<UInt16> = [0x8100, 0x88A8, 0x9100]
    /// Stacked tags beyond this are not plausible; such a frame is reported as malformed.
    static let maximumVLANTags = 4

    static func payload(of frame: DumpBytes, snapped: Bool) -> LinkPayload {
        var typeOffset = 12
        for _ in 0...maximumVLANTags {
            guard let type = frame.uint16(at: typeOffset) else {
                return .skipped(snapped ? .truncated : .malformed)
            }
            if vlanTagTypes.contains(type) {
                typeOffset += 4
                continue
            }
            guard let payload = frame.suffix(from: typeOffset + 2) else {
                return .skipped(snapped ? .truncated : .malformed)
            }
            return LinkPayload(etherType: type, payload: payload)
        }
        return .skipped(.malformed)
    }
}
