import MediaTypes
import Testing
@testable import RTP

@Suite struct VP8DepacketizerTests {
    @Test func parsesRealDescriptor() throws {
        let packet = try RTPPacket(bytes: RealPackets.vp8[0])
        let (descriptor, length) = try VP8PayloadDescriptor.parse(packet.payload)
        #expect(length == 4)
        #expect(descriptor == VP8PayloadDescriptor(startOfPartition: true, pictureID: .long(0)))
        #expect(descriptor.serialized() == Array(packet.payload.prefix(4)))
    }

    @Test func descriptorVariantsRoundTrip() throws {
        let variants: [VP8PayloadDescriptor] = [
            VP8PayloadDescriptor(startOfPartition: false, partitionIndex: 3),
            VP8PayloadDescriptor(nonReference: true, startOfPartition: true, pictureID: .short(0x55)),
            VP8PayloadDescriptor(startOfPartition: true, pictureID: .long(0x7FFF), tl0PictureIndex: 9,
                                 temporalLayer: 2, layerSync: true, keyIndex: 17),
            VP8PayloadDescriptor(startOfPartition: true, keyIndex: 31),
        ]
        for variant in variants {
            let bytes = variant.serialized()
            let (parsed, length) = try VP8PayloadDescriptor.parse(bytes + [0xAA])
            #expect(parsed == variant)
            #expect(length == bytes.count)
        }
        #expect(variants[2].serialized() == [0x90, 0xF0, 0xFF, 0xFF, 0x09, 0xB1])
    }

    @Test func assemblesRealFramesLikeAiortc() throws {
        let packets = try realPackets(RealPackets.vp8)
        var depacketizer = VP8Depacketizer()
        #expect(packets.map(depacketizer.startsFrame) == [true, false, false, true, true])
        #expect(packets.map(depacketizer.endsFrame) == [false, false, true, true, true])
        let keyframe = try depacketizer.assemble(Array(packets[0...2]))
        #expect(keyframe.isKeyframe)
        #expect(keyframe.data.count == 2942)
        #expect(fnv1a64(keyframe.data) == 0xA442_201A_1F97_119A)
        // Frame tag, start code 9d 01 2a, then 14-bit width and height: 160x120.
        #expect(Array(keyframe.data[3...9]) == [0x9D, 0x01, 0x2A, 0xA0, 0x00, 0x78, 0x00])
        let delta = try depacketizer.assemble([packets[3]])
        #expect(!delta.isKeyframe)
        #expect(delta.data.count == 649 && fnv1a64(delta.data) == 0x6463_FCD8_7C71_B314)
        #expect(fnv1a64(try depacketizer.assemble([packets[4]]).data) == 0xEFD5_7A32_197C_9BCD)
    }

    @Test func rejectsFramesWithoutTheirStart() throws {
        var depacketizer = VP8Depacketizer()
        let packets = try realPackets(RealPackets.vp8)
        #expect(throws: RTPParseError.self) { try depacketizer.assemble(Array(packets[1...2])) }
        let descriptorOnly = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 1, payload: [0x10])
        #expect(throws: RTPParseError.truncated(field: "VP8 frame tag", offset: 0, needed: 1, available: 0)) {
            try depacketizer.assemble([descriptorOnly])
        }
    }
}
