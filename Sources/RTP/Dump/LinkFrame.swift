import MediaTypes

/// One captured link-layer frame as a pcap or pcapng record stores it.
struct LinkFrame {
    var linkType: LinkType
    var captureTime: MediaTime
    var bytes: ArraySlice<UInt8>
    /// Length of the frame on the wire; more than `bytes.count` when the capture's snapshot
    /// length cut it.
    var originalLength: Int
    var location: DumpLocation

    var snapped: Bool { originalLength > bytes.count }
}
