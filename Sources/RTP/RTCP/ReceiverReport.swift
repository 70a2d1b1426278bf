/// Receiver report, packet type 201 (RFC 3550 section 6.4.2).
/// ```
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// ```
public struct ReceiverReport: RTCPMessage {
    static let packetType: UInt8 = 201

    public var ssrc: UInt32
    public var reports: [ReceptionReport]

    public init(ssrc: UInt32, reports: [ReceptionReport] = []) {
        precondition(reports.count < 32, "an RTCP packet carries at most 31 report blocks")
        self.ssrc = ssrc
        self.reports = reports
    }

    var headerCount: UInt8 { UInt8(reports.count) }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        ssrc = try body.readUInt32("RR sender SSRC")
        reports = try ReceptionReport.readBlocks(count, from: &body)
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(ssrc)
        for report in reports { report.append(to: &bytes) }
        return bytes
    }
}
