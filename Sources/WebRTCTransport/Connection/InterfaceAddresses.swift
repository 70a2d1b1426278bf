import Glibc

/// The machine's interface addresses: the host candidates of a socket bound to the wildcard
/// address (`0.0.0.0` or `::`), which receives on all of them.
enum InterfaceAddresses {
    /// One address of one interface, as getifaddrs(3) lists it.
    struct Entry: Equatable {
        var address: TransportAddress.IP
        var isUp: Bool
        var isLoopback: Bool
    }

    /// Every IPv4 and IPv6 address of every interface.
    static func entries() -> [Entry] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var entries: [Entry] = []
        var next = list
        while let current = next {
            defer { next = current.pointee.ifa_next }
            guard let socketAddress = current.pointee.ifa_addr else { continue }
            let bytes: [UInt8]
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
                }
            case AF_INET6:
                bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
                }
            default:
                continue
            }
            guard let address = TransportAddress(addressBytes: bytes, port: 0) else { continue }
            let flags = Int32(bitPattern: current.pointee.ifa_flags)
            entries.append(Entry(
                address: address.ip, isUp: flags & Int32(IFF_UP) != 0,
                isLoopback: flags & Int32(IFF_LOOPBACK) != 0))
        }
        return entries
    }

    /// The addresses of `entries` a peer can reach a wildcard socket of the family at: of up
    /// interfaces, not loopback (peers' ICE stacks skip it) and, for IPv6, not link-local (its
    /// zone id cannot travel in SDP); each once, in the system's order.
    static func hostCandidateAddresses(of entries: [Entry], ipv6: Bool) -> [TransportAddress.IP] {
        var result: [TransportAddress.IP] = []
        for entry in entries where entry.isUp && !entry.isLoopback && !result.contains(entry.address) {
            switch entry.address {
            case .v4 where !ipv6:
                result.append(entry.address)
            case .v6(let high, _) where ipv6 && high >> 54 != 0x3FA:  // fe80::/10
                result.append(entry.address)
            default:
                break
            }
        }
        return result
    }
}
