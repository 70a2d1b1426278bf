import MediaTypes

/// H.264 over RTP (RFC 6184, packetization mode 1) into an Annex B access unit (each NAL unit
/// after a 00 00 00 01 start code).
///
/// Every payload starts with a NAL unit header; its type says how the payload is packed:
/// ```
/// +---------------+
/// |0|1|2|3|4|5|6|7|
/// +-+-+-+-+-+-+-+-+
/// |F|NRI|  Type   |   1...23: a single NAL unit, this byte its own header
/// +---------------+
/// ```
/// STAP-A (type 24), several NAL units with 16-bit sizes:
/// ```
/// | STAP-A header | NALU 1 size (16) | NALU 1 ... | NALU 2 size (16) | NALU 2 ... |
/// ```
/// FU-A (type 28), one NAL unit split over packets; the original header is rebuilt from the
/// indicator's F and NRI and the FU header's type:
/// ```
/// | FU indicator  |   FU header   |
/// |F|NRI|  28     |S|E|R|  Type   |  fragment ...
/// ```
/// Decoders need SPS and PPS before an IDR picture; senders put them only in some IDR access
/// units, so the latest ones seen are kept and prepended to IDR frames that lack them.
public struct H264Depacketizer: Depacketizer {
    enum NALType {
        static let idr: UInt8 = 5
        static let sei: UInt8 = 6
        static let sps: UInt8 = 7
        static let pps: UInt8 = 8
        static let accessUnitDelimiter: UInt8 = 9
        static let stapA: UInt8 = 24
        static let fuA: UInt8 = 28
    }

    static let startCode: [UInt8] = [0, 0, 0, 1]

    public private(set) var sequenceParameterSet: [UInt8]?
    public private(set) var pictureParameterSet: [UInt8]?

    public init() {}

    public var codec: Codec { .h264 }
    public var clockRate: Int64 { 90_000 }

    /// True when the packet's first NAL unit can only open an access unit: an AUD, SPS, PPS or
    /// SEI, or a slice whose first_mb_in_slice is 0 (its ue(v) code is the single bit 1).
    public func startsFrame(_ packet: RTPPacket) -> Bool {
        let payload = packet.payload
        guard let header = payload.first else { return false }
        let firstNAL: ArraySlice<UInt8>
        switch header & 0x1F {
        case NALType.stapA:
            firstNAL = payload.dropFirst(3)
        case NALType.fuA:
            guard payload.count > 2, payload[1] & 0x80 != 0 else { return false }
            firstNAL = [payload[1]] + payload.dropFirst(2)
        default:
            firstNAL = payload[...]
        }
        guard let nalHeader = firstNAL.first else { return false }
        switch nalHeader & 0x1F {
        case NALType.sei, NALType.sps, NALType.pps, NALType.accessUnitDelimiter:
            return true
        case 1, 2, NALType.idr:
            return firstNAL.dropFirst().first.map { $0 & 0x80 != 0 } ?? false
        default:
            return false
        }
    }

    public func endsFrame(_ packet: RTPPacket) -> Bool { packet.marker }

    public mutating func assemble(_ packets: [RTPPacket]) throws(RTPParseError) -> DepacketizedFrame {
        var nalUnits: [[UInt8]] = []
        var fragment: [UInt8]?
        for packet in packets {
            var reader = ByteReader(packet.payload)
            let header = try reader.readUInt8("H.264 NAL unit header (seq \(packet.sequenceNumber))")
            let type = header & 0x1F
            if fragment != nil && type != NALType.fuA {
                throw .invalidValue(field: "H.264 FU-A", offset: 0,
                                    reason: "seq \(packet.sequenceNumber) interrupts a fragmented NAL unit")
            }
            switch type {
            case 1...23:
                nalUnits.append(packet.payload)
            case NALType.stapA:
                while reader.remaining > 0 {
                    let size = Int(try reader.readUInt16("H.264 STAP-A NAL unit size"))
                    guard size > 0 else {
                        throw .invalidValue(field: "H.264 STAP-A NAL unit size", offset: reader.offset - 2,
                                            reason: "zero-length NAL unit")
                    }
                    nalUnits.append(try reader.readBytes(size, "H.264 STAP-A NAL unit"))
                }
            case NALType.fuA:
                let fuHeader = try reader.readUInt8("H.264 FU header")
                let body = try reader.readBytes(reader.remaining, "H.264 FU-A fragment")
                if fuHeader & 0x80 != 0 {
                    guard fragment == nil else {
                        throw .invalidValue(field: "H.264 FU header", offset: 1,
                                            reason: "start bit inside a fragmented NAL unit (seq \(packet.sequenceNumber))")
                    }
                    fragment = [header & 0xE0 | fuHeader & 0x1F] + body
                } else if fragment == nil {
                    throw .invalidValue(field: "H.264 FU header", offset: 1,
                                        reason: "continuation without a start fragment (seq \(packet.sequenceNumber))")
                } else {
                    fragment? += body
                }
                if fuHeader & 0x40 != 0, let complete = fragment {
                    nalUnits.append(complete)
                    fragment = nil
                }
            default:
                throw .invalidValue(field: "H.264 NAL unit type", offset: 0,
                                    reason: "type \(type) is not used in packetization mode 1")
            }
        }
        if fragment != nil {
            throw .truncated(field: "H.264 FU-A NAL unit (no end fragment)", offset: 0, needed: 1, available: 0)
        }
        guard !nalUnits.isEmpty else {
            throw .truncated(field: "H.264 access unit (no NAL unit)", offset: 0, needed: 1, available: 0)
        }
        return frame(from: nalUnits)
    }

    private mutating func frame(from nalUnits: [[UInt8]]) -> DepacketizedFrame {
        let types = Set(nalUnits.compactMap { $0.first.map { $0 & 0x1F } })
        for nalUnit in nalUnits {
            switch nalUnit.first.map({ $0 & 0x1F }) {
            case NALType.sps: sequenceParameterSet = nalUnit
            case NALType.pps: pictureParameterSet = nalUnit
            default: break
            }
        }
        let isKeyframe = types.contains(NALType.idr)
        var prefix: [[UInt8]] = []
        if isKeyframe && !types.contains(NALType.sps), let sequenceParameterSet { prefix.append(sequenceParameterSet) }
        if isKeyframe && !types.contains(NALType.pps), let pictureParameterSet { prefix.append(pictureParameterSet) }
        var data: [UInt8] = []
        data.reserveCapacity(nalUnits.reduce(0) { $0 + $1.count + 4 } + prefix.reduce(0) { $0 + $1.count + 4 })
        for nalUnit in prefix + nalUnits {
            data += Self.startCode
            data += nalUnit
        }
        return DepacketizedFrame(data: data, isKeyframe: isKeyframe)
    }
}
