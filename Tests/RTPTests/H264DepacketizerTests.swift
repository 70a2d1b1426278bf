import MediaTypes
import Testing
@testable import RTP

@Suite struct H264DepacketizerTests {
    static let expectedHashes: [UInt64] = [
        0xB266_3FE8_CD5F_2685, 0xF846_FF4B_71F9_AF50, 0xD925_13E2_B9F0_E861, 0xADD5_EEFB_E86E_1A32,
        0x415D_8CCC_84E6_7124, 0x7614_3E6F_7B72_9152, 0x82F9_1F3C_C50A_808D, 0x4D8F_95AA_5BA8_1916,
        0x1AC6_6011_8611_1F07, 0x3CB1_BBA7_3272_56BE,
    ]

    /// The GOP split into frames by timestamp.
    static func frames() throws -> [[RTPPacket]] {
        let packets = try realPackets(RealPackets.h264)
        var frames: [[RTPPacket]] = []
        for packet in packets {
            if frames.last?.last?.timestamp == packet.timestamp { frames[frames.count - 1].append(packet) }
            else { frames.append([packet]) }
        }
        return frames
    }

    @Test func assemblesRealGOPLikeAiortc() throws {
        let frames = try Self.frames()
        #expect(frames.map(\.count) == [13, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        var depacketizer = H264Depacketizer()
        let assembled = try frames.map { try depacketizer.assemble($0) }
        #expect(assembled.map { fnv1a64($0.data) } == Self.expectedHashes)
        #expect(assembled.map(\.isKeyframe) == [true] + Array(repeating: false, count: 9))
        #expect(assembled[0].data.count == 3127)
        #expect(Array(assembled[0].data.prefix(5)) == [0, 0, 0, 1, 0x67])
        #expect(depacketizer.sequenceParameterSet?.first == 0x67)
        #expect(depacketizer.pictureParameterSet?.first == 0x68)
    }

    @Test func findsFrameStarts() throws {
        let packets = try realPackets(RealPackets.h264)
        let depacketizer = H264Depacketizer()
        // STAP-A(SPS), FU-A SEI start, 2 SEI fragments, FU-A IDR start (first_mb 0), 8 IDR fragments, P slices.
        let expected = [true, true, false, false, true] + Array(repeating: false, count: 8) + Array(repeating: true, count: 9)
        #expect(packets.map(depacketizer.startsFrame) == expected)
    }

    @Test func prependsKeptParameterSetsToIDRFrames() throws {
        let keyframe = try Self.frames()[0]
        var depacketizer = H264Depacketizer()
        let complete = try depacketizer.assemble(keyframe)
        // Without the STAP-A, the kept SPS and PPS come first, as in the complete frame.
        let withoutParameterSets = try depacketizer.assemble(Array(keyframe.dropFirst()))
        #expect(withoutParameterSets == complete)
        var fresh = H264Depacketizer()
        let bare = try fresh.assemble(Array(keyframe.dropFirst()))
        #expect(bare.isKeyframe)
        #expect(bare.data.count == complete.data.count - (4 + 23) - (4 + 5))  // no SPS (23 bytes), no PPS (5)
        #expect(bare.data[4] & 0x1F == 6)
    }

    @Test func rejectsBrokenFragmentation() throws {
        let keyframe = try Self.frames()[0]
        var depacketizer = H264Depacketizer()
        #expect(throws: RTPParseError.self) { try depacketizer.assemble(Array(keyframe.dropFirst(2))) }
        #expect(throws: RTPParseError.truncated(field: "H.264 FU-A NAL unit (no end fragment)", offset: 0,
                                                needed: 1, available: 0)) {
            try depacketizer.assemble(Array(keyframe.dropLast()))
        }
        let stapB = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 1, payload: [25, 0, 1, 0x65])
        #expect(throws: RTPParseError.invalidValue(field: "H.264 NAL unit type", offset: 0,
                                                   reason: "type 25 is not used in packetization mode 1")) {
            try depacketizer.assemble([stapB])
        }
    }
}
