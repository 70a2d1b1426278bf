import MediaTypes

/// Where in a dump file a datagram came from, for error messages and for telling apart the copies
/// of one packet captured on several interfaces.
public struct DumpLocation: Sendable, Hashable, CustomStringConvertible {
    /// Zero-based index of the packet record among all packet records of the file.
    public var recordIndex: Int
    /// Byte offset of the record's start in the file.
    public var fileOffset: Int64
    /// pcapng interface the packet was captured on; 0 for pcap and `.mjr`.
    public var interfaceIndex: Int

    public init(recordIndex: Int, fileOffset: Int64, interfaceIndex: Int = 0) {
        self.recordIndex = recordIndex
        self.fileOffset = fileOffset
        self.interfaceIndex = interfaceIndex
    }

    public var description: String {
        "record \(recordIndex) at offset \(fileOffset)" + (interfaceIndex == 0 ? "" : " on interface \(interfaceIndex)")
    }
}

/// One UDP payload read from a dump, with the time it was captured.
public struct CapturedDatagram: Sendable, Hashable {
    /// The UDP payload: an RTP or RTCP packet for the dumps this project reads.
    public var payload: [UInt8]
    /// Absolute capture time since the Unix epoch, in the dump's own resolution: microseconds or
    /// nanoseconds for pcap; for pcapng the interface's resolution when it is a power of ten up to
    /// nanoseconds, else nanoseconds; receive time in microseconds for `.mjr`. Always below 2^63
    /// nanoseconds, so it can be rescaled to nanoseconds without overflow.
    public var captureTime: MediaTime
    /// UDP source and destination; nil for `.mjr`, which does not record addresses.
    public var source: IPEndpoint?
    public var destination: IPEndpoint?
    public var location: DumpLocation

    public init(
        payload: [UInt8], captureTime: MediaTime, source: IPEndpoint?, destination: IPEndpoint?,
        location: DumpLocation
    ) {
        self.payload = payload
        self.captureTime = captureTime
        self.source = source
        self.destination = destination
        self.location = location
    }
}
