import MediaTypes

/// Reads the UDP datagrams of a pcap or pcapng capture, or the RTP packets of a Janus `.mjr`
/// recording, in file order, each with its capture time. The format is detected from the first
/// bytes. Packets that are not UDP over IP, or are damaged, are skipped and counted in `counters`;
/// only damage to the container's own structure throws.
///
///     let reader = try DumpReader.open(path)
///     while let datagram = try reader.next() { ... }
///
/// The reader keeps a file position, so it is a reference type and not shared across tasks.
public final class DumpReader {
    public let format: DumpFormat
    public private(set) var counters = DumpCounters()

    private enum Source {
        case pcap(PcapReader)
        case pcapng(PcapNGReader)
        case mjr(MJRReader)
    }

    private var input: DumpInput
    private var source: Source
    /// Set after the end or an error: the position is then meaningless, so `next()` returns nil.
    private var finished = false

    /// Opens a dump file and reads its file header (the `.mjr` info header too).
    public static func open(_ path: String) throws(DumpError) -> DumpReader {
        try DumpReader(input: DumpInput(path: path))
    }

    /// A reader over a dump held in memory.
    public convenience init(bytes: [UInt8]) throws(DumpError) {
        try self.init(input: DumpInput(bytes: bytes))
    }

    private init(input: DumpInput) throws(DumpError) {
        var input = input
        let magic = try input.peek(4) ?? []
        if PcapReader.matches(magic) {
            format = .pcap
            source = .pcap(try PcapReader(input: &input))
        } else if PcapNGReader.matches(magic) {
            format = .pcapng
            source = .pcapng(try PcapNGReader(input: &input))
        } else if MJRReader.matches(magic) {
            format = .mjr
            source = .mjr(try MJRReader(input: &input))
        } else {
            let available = try input.fill(16)
            throw .notADump(firstBytes: Array(try input.peek(available) ?? []))
        }
        self.input = input
    }

    /// The header of an `.mjr` recording; nil for pcap and pcapng, and for a recording that
    /// never received a packet.
    public var mjrHeader: MJRHeader? {
        if case .mjr(let reader) = source { return reader.header }
        return nil
    }

    /// The next datagram in file order, or nil at the end of the file.
    public func next() throws(DumpError) -> CapturedDatagram? {
        guard !finished else { return nil }
        do {
            if let datagram = try readDatagram() {
                counters.datagrams += 1
                return datagram
            }
            finished = true
            return nil
        } catch {
            finished = true
            throw error
        }
    }

    /// Every remaining datagram.
    public func readAll() throws(DumpError) -> [CapturedDatagram] {
        var datagrams: [CapturedDatagram] = []
        while let datagram = try next() { datagrams.append(datagram) }
        return datagrams
    }

    private func readDatagram() throws(DumpError) -> CapturedDatagram? {
        while true {
            let frame: LinkFrame?
            switch source {
            case .mjr(var reader):
                defer { source = .mjr(reader) }
                return try reader.next(input: &input, counters: &counters)
            case .pcap(var reader):
                defer { source = .pcap(reader) }
                frame = try reader.nextFrame(input: &input, counters: &counters)
            case .pcapng(var reader):
                defer { source = .pcapng(reader) }
                frame = try reader.nextFrame(input: &input, counters: &counters)
            }
            guard let frame else { return nil }
            switch DatagramExtraction(linkType: frame.linkType, frame: frame.bytes, snapped: frame.snapped) {
            case .datagram(let source, let destination, let payload):
                return CapturedDatagram(
                    payload: Array(payload), captureTime: frame.captureTime, source: source,
                    destination: destination, location: frame.location)
            case .skipped(let reason):
                counters.count(reason)
            }
        }
    }
}
