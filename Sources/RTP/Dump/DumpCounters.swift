/// What a dump reader saw besides the datagrams it yielded. Every record lands in exactly one
/// bucket: `datagrams` or one of the skip reasons.
public struct DumpCounters: Sendable, Hashable {
    /// Packet records read: pcap records, pcapng packet blocks, `.mjr` packet frames.
    public var records = 0
    /// Datagrams handed out by `DumpReader.next()`.
    public var datagrams = 0
    /// Link-layer frames carrying something other than IPv4 or IPv6 (ARP, LLC, ...).
    public var notIP = 0
    /// IP packets carrying something other than UDP (TCP, ICMP, ESP, ...).
    public var notUDP = 0
    /// IP fragments; they are not reassembled, so the datagram they belong to is lost.
    public var fragments = 0
    /// Packets cut short by the capture's snapshot length before the end of their UDP payload.
    public var truncated = 0
    /// Records whose headers contradict themselves (bad version, lengths, interface ids, times).
    public var malformed = 0
    /// Packets on an interface whose link type this reader does not decode.
    public var unsupportedLinkType = 0
    /// Records that hold no packet: pcapng blocks other than section, interface and packet blocks;
    /// `.mjr` frames too short to be RTP.
    public var skippedRecords = 0
    /// Where the file ended in the middle of a record (a capture cut off while writing), if it did.
    public var truncatedTailOffset: Int64?

    public init() {}

    mutating func count(_ reason: DatagramSkipReason) {
        switch reason {
        case .notIP: notIP += 1
        case .notUDP: notUDP += 1
        case .fragment: fragments += 1
        case .truncated: truncated += 1
        case .malformed: malformed += 1
        case .unsupportedLinkType: unsupportedLinkType += 1
        }
    }
}
