/// One compressed video frame or audio packet, as a depacketizer assembles it or an encoder
/// produces it. `timestamp` is on the sender's media clock (for RTP: the unwrapped RTP
/// timestamp over the codec's clock rate).
public struct EncodedFrame: Sendable {
    public var track: TrackID
    public var codec: Codec
    public var data: [UInt8]
    public var timestamp: MediaTime
    public var isKeyframe: Bool

    public init(track: TrackID, codec: Codec, data: [UInt8], timestamp: MediaTime, isKeyframe: Bool) {
        self.track = track
        self.codec = codec
        self.data = data
        self.timestamp = timestamp
        self.isKeyframe = isKeyframe
    }
}
