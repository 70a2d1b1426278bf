/// Linux "cooked" capture headers, which libpcap writes for the `any` device.
///
/// Version 1 (LINKTYPE_LINUX_SLL, 16 bytes):
///
///      0               2               4               6
///     +---------------+---------------+---------------+---------------------------+---------------+
///     |  packet type  |  ARPHRD type  | address length| link-layer address (8)    | protocol type |
///     +---------------+---------------+---------------+---------------------------+---------------+
///                                                                               14              16
///
/// Version 2 (LINKTYPE_LINUX_SLL2, 20 bytes):
///
///      0               2               4                               8
///     +---------------+---------------+-------------------------------+
///     | protocol type |   reserved    |        interface index        |
///     +---------------+-------+-------+-------------------------------+
///     |  ARPHRD type  |pkttype|addrlen|   link-layer address (8) ...
///     +---------------+-------+-------+-------------------------------+
///     8               10      11      12                              20
///
/// The protocol type is an EtherType for the packets this reader cares about.
enum LinuxCookedHeader {
    static let version1Length = 16
    static let version2Length = 20

    static func payload(of frame: DumpBytes, version2: Bool, snapped: Bool) -> LinkPayload {
        let length = version2 ? version2Length : version1Length
        guard let type = frame.uint16(at: version2 ? 0 : 14), let payload = frame.suffix(from: length) else {
            return .skipped(snapped ? .truncated : .malformed)
        }
        return LinkPayload(etherType: type, payload: payload)
    }
}
