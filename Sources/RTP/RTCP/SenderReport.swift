/// Sender report, packet type 200 (RFC 3550 section 6.4.1).
/// ```
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// ```
/// The NTP and RTP timestamps are the same instant, which is what maps a track's RTP clock to
/// the sender's wall clock.
public struct SenderReport: RTCPMessage {
    static let packetType: UInt8 = 200

    public var ssrc: UInt32
    /// NTP time: seconds since 1900 in the high 32 bits, fraction in the low 32 bits.
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reports: [ReceptionReport]

    public init(
        ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        reports: [ReceptionReport] = []
    ) {
        precondition(reports.count < 32, "an RTCP packet carries at most 31 report blocks")
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }

    var headerCount: UInt8 { UInt8(reports.count) }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        ssrc = try body.readUInt32("SR sender SSRC")
        ntpTimestamp = try body.readUInt64("SR NTP timestamp")
        rtpTimestamp = try body.readUInt32("SR RTP timestamp")
        packetCount = try body.readUInt32("SR packet count")
        octetCount = try body.readUInt32("SR octet count")
        reports = try ReceptionReport.readBlocks(count, from: &body)
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(ssrc)
        bytes.appendBigEndian(ntpTimestamp)
        bytes.appendBigEndian(rtpTimestamp)
        bytes.appendBigEndian(packetCount)
        bytes.appendBigEndian(octetCount)
        for report in reports { report.append(to: &bytes) }
        return bytes
    }
}
