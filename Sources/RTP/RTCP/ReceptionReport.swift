/// One report block of a sender or receiver report (RFC 3550 section 6.4.1).
/// ```
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// ```
public struct ReceptionReport: Sendable, Equatable {
    public var ssrc: UInt32
    /// Lost fraction since the previous report, in 1/256.
    public var fractionLost: UInt8
    /// Signed 24 bits: duplicates can make it negative.
    public var cumulativeLost: Int32
    public var extendedHighestSequenceNumber: UInt32
    /// In RTP timestamp units.
    public var jitter: UInt32
    /// The middle 32 bits of the NTP time of the last sender report from this source.
    public var lastSenderReport: UInt32
    /// In units of 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequenceNumber: UInt32,
        jitter: UInt32, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) {
        precondition((-(1 << 23)..<(1 << 23)).contains(cumulativeLost), "cumulative lost is 24-bit signed")
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    static let size = 24

    init(_ reader: inout ByteReader) throws(RTPParseError) {
        ssrc = try reader.readUInt32("report block SSRC")
        fractionLost = try reader.readUInt8("report block fraction lost")
        let lost = try reader.readUInt24("report block cumulative lost")
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8  // sign-extend 24 bits
        extendedHighestSequenceNumber = try reader.readUInt32("report block highest sequence number")
        jitter = try reader.readUInt32("report block jitter")
        lastSenderReport = try reader.readUInt32("report block LSR")
        delaySinceLastSenderReport = try reader.readUInt32("report block DLSR")
    }

    func append(to bytes: inout [UInt8]) {
        bytes.appendBigEndian(ssrc)
        bytes.append(fractionLost)
        bytes.appendUInt24(UInt32(bitPattern: cumulativeLost) & 0xFF_FFFF)
        bytes.appendBigEndian(extendedHighestSequenceNumber)
        bytes.appendBigEndian(jitter)
        bytes.appendBigEndian(lastSenderReport)
        bytes.appendBigEndian(delaySinceLastSenderReport)
    }

    /// Reads `count` blocks; bytes after them (profile-specific extensions) are left unread.
    static func readBlocks(_ count: UInt8, from reader: inout ByteReader) throws(RTPParseError) -> [ReceptionReport] {
        var reports: [ReceptionReport] = []
        for _ in 0..<count { reports.append(try ReceptionReport(&reader)) }
        return reports
    }
}
