import MediaTypes

/// Reads a Janus recording (`.mjr`), as Janus's recorder writes it. The file starts with
///
///     +-------------------------------+---------------+--------------------------+
///     | "MJR00002" or "MJR00001" (8)  |  length (2)   | JSON info header (length)|
///     +-------------------------------+---------------+--------------------------+
///
/// (an 8-byte file is a recording that never received a packet), then one frame per packet:
///
///     MJR00002:
///     +---------------+-------------------------------+---------------+--------------------+
///     |  "MEET" (4)   | ms since first packet (4)     |  length (2)   |  packet (length)   |
///     +---------------+-------------------------------+---------------+--------------------+
///     MJR00001 (no receive time):
///     +-------------------------------+---------------+--------------------+
///     |        "MEETECHO" (8)         |  length (2)   |  packet (length)   |
///     +-------------------------------+---------------+--------------------+
///
/// All integers are big-endian. Audio and video packets are whole RTP packets; data-channel
/// packets start with the 8-byte receive time in microseconds since the epoch. A packet's capture
/// time is the header's first-packet time plus the frame's offset (MJR00001: the first-packet
/// time for every packet).
struct MJRReader {
    static let magicLength = 8
    static let frameHeaderLength = 10
    static let minimumRTPLength = 12
    static let dataTimeLength = 8

    private(set) var header: MJRHeader?
    private let version: Int
    private var recordIndex = 0

    /// Whether the first bytes start an `.mjr` file.
    static func matches(_ magic: ArraySlice<UInt8>) -> Bool {
        magic.elementsEqual(Array("MJR0".utf8))
    }

    init(input: inout DumpInput) throws(DumpError) {
        guard let magic = try input.read(Self.magicLength) else {
            throw .malformed(format: .mjr, offset: 0, reason: "file shorter than its 8-byte magic")
        }
        switch String(decoding: magic, as: UTF8.self) {
        case "MJR00002": version = 2
        case "MJR00001": version = 1
        default:
            throw .malformed(format: .mjr, offset: 0, reason: "unknown version \"\(String(decoding: magic, as: UTF8.self))\"")
        }
        if try input.isAtEnd() { return }
        let lengthOffset = input.offset
        guard let length = try input.read(2).flatMap({ DumpBytes($0).uint16(at: 0) }),
            let json = try input.read(Int(length))
        else {
            throw .malformed(format: .mjr, offset: lengthOffset, reason: "info header cut off by the end of the file")
        }
        header = try MJRHeader(version: version, json: json, offset: lengthOffset + 2)
    }

    /// The next packet, or nil at the end of the file (a frame cut off by the end of the file ends
    /// it too, noted in `counters.truncatedTailOffset`).
    mutating func next(input: inout DumpInput, counters: inout DumpCounters) throws(DumpError) -> CapturedDatagram? {
        while true {
            let start = input.offset
            if try input.isAtEnd() { return nil }
            guard let frameHeader = try input.peek(Self.frameHeaderLength).map(DumpBytes.init),
                let length = frameHeader.uint16(at: 8)
            else {
                counters.truncatedTailOffset = start
                return nil
            }
            guard (frameHeader.slice(at: 0, length: 4) ?? []).elementsEqual(Array("MEET".utf8)) else {
                throw .malformed(format: .mjr, offset: start, reason: "frame \(recordIndex) does not start with \"MEET\"")
            }
            guard let frame = try input.read(Self.frameHeaderLength + Int(length)) else {
                counters.truncatedTailOffset = start
                return nil
            }
            defer { recordIndex += 1 }
            counters.records += 1
            let packet = frame.dropFirst(Self.frameHeaderLength)
            let location = DumpLocation(recordIndex: recordIndex, fileOffset: start)
            let firstPacket = header?.firstPacketWritten ?? header?.created ?? .zero
            if header?.kind == .data {
                guard let time = DumpBytes(packet).uint64(at: 0), time <= UInt64(MJRHeader.latestTime) else {
                    counters.skippedRecords += 1
                    continue
                }
                return CapturedDatagram(
                    payload: Array(packet.dropFirst(Self.dataTimeLength)), captureTime: .microseconds(Int64(time)),
                    source: nil, destination: nil, location: location)
            }
            guard packet.count >= Self.minimumRTPLength else {
                counters.skippedRecords += 1
                continue
            }
            let offset = version == 2 ? MediaTime.milliseconds(Int64(frameHeader.uint32(at: 4) ?? 0)) : .zero
            return CapturedDatagram(
                payload: Array(packet), captureTime: (firstPacket + offset).converted(to: 1_000_000),
                source: nil, destination: nil, location: location)
        }
    }
}
