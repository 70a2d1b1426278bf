/// The retransmission streams negotiated for a session (RFC 4588): which RTX payload type
/// carries which original payload type (`a=fmtp:<rtx> apt=<original>`) and which RTX SSRC
/// repairs which media SSRC (`a=ssrc-group:FID <media> <rtx>`).
///
/// An RTX packet carries the original sequence number (OSN) before the original payload:
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Timestamp, marker bit, CSRCs and header extensions are the original's.
public struct RTXMapping: Sendable, Equatable {
    /// RTX payload type -> associated (original) payload type.
    public var associatedPayloadTypes: [UInt8: UInt8]
    /// RTX SSRC -> media SSRC.
    public var mediaSSRCs: [UInt32: UInt32]

    public init(associatedPayloadTypes: [UInt8: UInt8] = [:], mediaSSRCs: [UInt32: UInt32] = [:]) {
        self.associatedPayloadTypes = associatedPayloadTypes
        self.mediaSSRCs = mediaSSRCs
    }

    public func isRetransmission(_ packet: RTPPacket) -> Bool {
        associatedPayloadTypes[packet.payloadType] != nil
    }

    /// The original packet an RTX packet repairs. Padding-only RTX packets (bandwidth probes)
    /// have no OSN and throw `truncated`.
    public func original(of packet: RTPPacket) throws(RTPParseError) -> RTPPacket {
        guard let payloadType = associatedPayloadTypes[packet.payloadType] else {
            throw .invalidValue(field: "RTX payload type", offset: 1,
                                reason: "payload type \(packet.payloadType) has no negotiated apt")
        }
        guard let ssrc = mediaSSRCs[packet.ssrc] else {
            throw .invalidValue(field: "RTX SSRC", offset: 8, reason: "SSRC \(packet.ssrc) repairs no known media SSRC")
        }
        var reader = ByteReader(packet.payload)
        let originalSequenceNumber = try reader.readUInt16("RTX original sequence number")
        return RTPPacket(
            payloadType: payloadType, sequenceNumber: originalSequenceNumber, timestamp: packet.timestamp,
            ssrc: ssrc, marker: packet.marker, payload: Array(packet.payload.dropFirst(2)),
            csrcs: packet.csrcs, extensions: packet.extensions)
    }
}
