/// BSD loopback header (LINKTYPE_NULL and LINKTYPE_LOOP): one 4-byte address family.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                        address family                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// LINKTYPE_NULL stores the family in the byte order of the host that captured, which the file
/// does not say, so both orders are tried; LINKTYPE_LOOP always uses network order. AF_INET is 2
/// everywhere; AF_INET6 differs per system (Linux 10, OpenBSD/NetBSD 24, FreeBSD 28, macOS 30).
enum LoopbackHeader {
    static let length = 4
    static let inet: UInt32 = 2
    static let inet6: Set<UInt32> = [10, 24, 28, 30]

    static func payload(of frame: DumpBytes, networkOrderOnly: Bool, snapped: Bool) -> LinkPayload {
        guard let family = frame.uint32(at: 0), let payload = frame.suffix(from: length) else {
            return .skipped(snapped ? .truncated : .malformed)
        }
        let families = networkOrderOnly ? [family] : [family, family.byteSwapped]
        if families.contains(inet) { return .ipv4(payload) }
        if families.contains(where: inet6.contains) { return .ipv6(payload) }
        return .skipped(.notIP)
    }
}
