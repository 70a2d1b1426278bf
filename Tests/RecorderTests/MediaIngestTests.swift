import Foundation
import MediaTypes
import RTP
import SDP
import TestSupport
import Testing
@testable import Recorder

/// Decoding the fixtures (RTP sent by encoders nobody here wrote) through the whole ingest path:
/// dump reader, SSRC routing, jitter buffer, depacketizer, decoder.
@Suite struct MediaIngestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    func ingest(_ sources: [DumpSource], sdp: String? = nil) throws -> (MediaIngest, video: [(ParticipantID, VideoFrame, MediaTime)], audio: [(ParticipantID, AudioBlock)]) {
        var map = PayloadTypeMap()
        if let sdp { map = PayloadTypeMap(sdp: try SessionDescription(parsing: try String(contentsOfFile: sdp, encoding: .utf8))) }
        let ingest = MediaIngest(sources: sources, payloadTypes: map)
        var video: [(ParticipantID, VideoFrame, MediaTime)] = []
        var audio: [(ParticipantID, AudioBlock)] = []
        try ingest.advanceToEnd { media in
            switch media {
            case let .video(participant, frame, time): video.append((participant, frame, time))
            case let .audio(participant, block, _): audio.append((participant, block))
            case .joined, .left: Issue.record("dumps have no roster")
            }
        }
        return (ingest, video, audio)
    }

    /// FFmpeg's testsrc2 frames at 320x180, as the pcap fixtures' sender drew them.
    func sourceFrames(count: Int) throws -> [VideoFrame] {
        let raw = NSTemporaryDirectory() + "testsrc2-\(UUID().uuidString.prefix(8)).yuv"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15",
                             "-frames:v", String(count), "-pix_fmt", "yuv420p", "-f", "rawvideo", raw]
        try process.run()
        process.waitUntilExit()
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let frameSize = 320 * 180 * 3 / 2
        return (0..<count).map { index in
            let frame = VideoFrame(width: 320, height: 180)
            var offset = index * frameSize
            for plane in VideoFrame.Plane.allCases {
                for row in 0..<frame.planeHeight(plane) {
                    let width = frame.planeWidth(plane)
                    data.withUnsafeBufferPointer { (frame.pointer(plane) + row * frame.stride(plane)).update(from: $0.baseAddress! + offset, count: width) }
                    offset += width
                }
            }
            return frame
        }
    }

    @Test(arguments: ["vp8", "h264"])
    func pcapVideoDecodesToEverySentFrameInOrder(name: String) throws {
        let path = "\(Self.fixtures)/pcap/\(name).pcap"
        let (ingest, video, _) = try ingest(try DumpSource.open([path]), sdp: "\(Self.fixtures)/pcap/\(name).sdp")
        #expect(ingest.counters.unknownPayloadType == 0)
        try #require(video.count == 30)
        let sources = try sourceFrames(count: 30)
        for (index, (_, frame, time)) in video.enumerated() {
            #expect(frame.width == 320 && frame.height == 180)
            if index > 0 { #expect(time > video[index - 1].2) }
            // Each decoded picture is nearest to the source frame of its own position.
            let own = PictureMetrics.lumaPSNR(frame, sources[index])
            #expect(own > 28, "frame \(index): \(own) dB")
            for neighbour in [index - 1, index + 1] where sources.indices.contains(neighbour) {
                #expect(own > PictureMetrics.lumaPSNR(frame, sources[neighbour]), "frame \(index) looks more like frame \(neighbour)")
            }
        }
    }

    @Test func pcapOpusDecodesToTheTone() throws {
        let (_, _, audio) = try ingest(try DumpSource.open(["\(Self.fixtures)/pcap/opus.pcap"]), sdp: "\(Self.fixtures)/pcap/opus.sdp")
        #expect(audio.count == 101)
        let samples = audio.flatMap(\.1.samples)
        let channels = audio[0].1.channels
        let middle = samples[(24_000 * channels)..<(72_000 * channels)]
        #expect(abs(SoundMetrics.toneAmplitude(middle, channels: channels, frequency: 440) - 0.125) < 0.01)
    }

    @Test func janusRecordingsDecodeToEachParticipantsFramesAndTone() throws {
        let (ingest, video, audio) = try ingest(try DumpSource.open(["\(Self.fixtures)/mjr"]))
        #expect(Set(ingest.participants) == [ParticipantID("vp8"), ParticipantID("h264")])
        for (participant, index, tone) in [("vp8", 0, 400.0), ("h264", 1, 500.0)] {
            let frames = video.filter { $0.0 == ParticipantID(participant) }.map(\.1)
            try #require(frames.count == 45, "\(participant): \(frames.count) frames")
            let patterns = frames.map { TestbedPattern(frame: $0) }
            #expect(patterns.map(\.frameCounter) == Array(0..<45))
            #expect(patterns.filter { !$0.isFlash }.allSatisfy { $0.participantIndex == index && $0.nearestPaletteIndex == index })
            #expect(patterns.indices.filter { patterns[$0].isFlash } == [15, 30])
            let blocks = audio.filter { $0.0 == ParticipantID(participant) }.map(\.1)
            #expect(blocks.count == 150)
            let samples = blocks.flatMap(\.samples)
            let quarter = samples[(12_000 * 2)..<(36_000 * 2)]   // 0.25 s to 0.75 s: tone, no beep
            // The tone is -12 dBFS mono; aiortc's encoder upmixes it to stereo at -3 dB.
            #expect(abs(SoundMetrics.toneAmplitude(quarter, channels: blocks[0].channels, frequency: tone) - 0.25 / 2.squareRoot()) < 0.01)
        }
    }

    /// Media is read a playout delay ahead of the output, but video is decoded only as the
    /// output nears it (decoded pictures are large); the pictures are the same in the end.
    @Test func videoIsDecodedOnlyThroughTheHorizonWhileAudioRunsAhead() throws {
        let (_, everyPicture, _) = try ingest(try DumpSource.open(["\(Self.fixtures)/mjr"]))
        let ingest = MediaIngest(sources: try DumpSource.open(["\(Self.fixtures)/mjr"]))
        let start = try #require(try ingest.nextCaptureTime())
        var pictures: [(ParticipantID, VideoFrame, MediaTime)] = []
        var step = 0
        while try !ingest.isExhausted() {
            let horizon = start + .milliseconds(Int64(100 * step))
            var newestAudio: MediaTime?
            try ingest.advance(through: horizon + .milliseconds(600), decodingVideoThrough: horizon) { media in
                switch media {
                case let .video(participant, frame, time):
                    #expect(time <= horizon, "a picture due at \(time) was decoded for the horizon \(horizon)")
                    pictures.append((participant, frame, time))
                case let .audio(_, _, time): newestAudio = max(newestAudio ?? time, time)
                case .joined, .left: Issue.record("dumps have no roster")
                }
            }
            if step == 10 {
                let newest = try #require(newestAudio, "no audio handed over at step 10")
                #expect(newest > horizon + .milliseconds(300), "audio is decoded on arrival")
            }
            step += 1
            try #require(step < 1000, "the ingest never ran out")
        }
        try #require(pictures.count == everyPicture.count)
        // Each participant's pictures in the same order (the two participants may interleave otherwise).
        let byParticipant = { (list: [(ParticipantID, VideoFrame, MediaTime)]) in list.sorted { "\($0.0)" < "\($1.0)" } }
        for (late, early) in zip(byParticipant(pictures), byParticipant(everyPicture)) {
            #expect(late.0 == early.0 && late.2 == early.2)
            #expect(PictureMetrics.lumaPSNR(late.1, early.1) == .infinity)
        }
    }

    @Test(arguments: [0.05, 0.20])
    func lossShowsExactlyTheDecodableFramesAndResumesAtKeyframes(lossRate: Double) throws {
        let sources = try sourceFrames(count: 30)
        let original = try DumpReader.open("\(Self.fixtures)/pcap/vp8.pcap").readAll()
        var datagrams = original
        var random = SeededGenerator(seed: 42)
        // Drop, then reorder within a depth of 5 and duplicate, deterministically.
        datagrams = datagrams.filter { RTPPacket.isRTCP($0.payload) || Double(random.next() % 1000) / 1000 >= lossRate }
        for index in stride(from: 0, to: datagrams.count - 5, by: 5) where random.next() % 2 == 0 {
            let other = index + Int(random.next() % 5)
            (datagrams[index].payload, datagrams[other].payload) = (datagrams[other].payload, datagrams[index].payload)
        }
        datagrams += datagrams.enumerated().filter { _ in random.next() % 20 == 0 }.map(\.element)
        datagrams.sort { $0.captureTime < $1.captureTime }

        // Which frames a receiver can show: from each keyframe (every 15th) up to the first
        // frame that lost a packet, since a VP8 delta frame needs all frames before it.
        let rtp = { (datagrams: [CapturedDatagram]) in
            datagrams.filter { !RTPPacket.isRTCP($0.payload) }.compactMap { try? RTPPacket(bytes: $0.payload) }
        }
        let packets = rtp(original)
        let arrived = Set(rtp(datagrams).map(\.sequenceNumber))
        let frameTimestamps = packets.map(\.timestamp).reduce(into: [UInt32]()) { if $0.last != $1 { $0.append($1) } }
        let complete = frameTimestamps.map { timestamp in packets.filter { $0.timestamp == timestamp }.allSatisfy { arrived.contains($0.sequenceNumber) } }
        var decodable: [Int] = []
        for index in complete.indices {
            let keyframe = index - index % 15
            if (keyframe...index).allSatisfy({ complete[$0] }) { decodable.append(index) }
        }
        try #require(frameTimestamps.count == 30)
        try #require(decodable.count < 30, "the filter lost nothing; pick another seed")

        let (ingest, video, _) = try ingest([DumpSource(name: "impaired vp8", datagrams: datagrams)], sdp: "\(Self.fixtures)/pcap/vp8.sdp")
        #expect(try #require(ingest.reports.first).jitterBuffer.packetsLost > 0)
        let shown = video.map { _, frame, _ in
            sources.indices.max { PictureMetrics.lumaPSNR(frame, sources[$0]) < PictureMetrics.lumaPSNR(frame, sources[$1]) }!
        }
        #expect(shown == decodable)
        for ((_, frame, _), index) in zip(video, shown) {
            #expect(PictureMetrics.lumaPSNR(frame, sources[index]) > 28, "frame \(index) is damaged")
        }
    }

    @Test func unknownPayloadTypesAreCountedNotDecoded() throws {
        // Without the SDP, payload type 97 is not a common WebRTC type for Opus.
        let (ingest, _, audio) = try ingest(try DumpSource.open(["\(Self.fixtures)/pcap/opus.pcap"]))
        #expect(audio.isEmpty)
        #expect(ingest.counters.unknownPayloadType == 101)
    }
}

