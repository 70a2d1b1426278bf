@testable import RTP

/// 64-bit FNV-1a, to compare whole frames with the output of aiortc's depacketizers.
func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
}

func realPackets(_ datagrams: [[UInt8]]) throws -> [RTPPacket] {
    try datagrams.map { try RTPPacket(bytes: $0) }
}
