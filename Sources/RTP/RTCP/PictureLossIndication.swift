/// Picture loss indication, payload-specific feedback (PSFB, packet type 206, FMT 1;
/// RFC 4585 section 6.3.1): the receiver lost data it needs and asks for a keyframe.
/// ```
/// |V=2|P|  FMT=1  |   PT=206      |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct PictureLossIndication: RTCPMessage {
    static let packetType: UInt8 = 206
    static let format: UInt8 = 1

    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32

    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    var headerCount: UInt8 { Self.format }

    init(count: UInt8, body: inout ByteReader) throws(RTPParseError) {
        senderSSRC = try body.readUInt32("PLI sender SSRC")
        mediaSSRC = try body.readUInt32("PLI media SSRC")
    }

    func serializedBody() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(senderSSRC)
        bytes.appendBigEndian(mediaSSRC)
        return bytes
    }
}
