import Foundation
import TestSupport
import Testing

/// `tessera replay` as a user runs it.
@Suite struct ReplayCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "tessera-cli-\(UUID().uuidString.prefix(8))/\(name)"
    }

    @Test func replaysCapturesWithTheirSDPIntoAVP8WebMFromAJob() async throws {
        let out = temporaryPath("captures.webm")
        let job = temporaryPath("job.json")
        try FileManager.default.createDirectory(atPath: (job as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(#"{"video_config": {"codec": "VP8", "width": 640, "height": 360, "fps": 15}, "audio_config": {"channel": "mono"}}"#.utf8)
            .write(to: URL(fileURLWithPath: job))
        let pcap = "\(Self.fixtures)/pcap"
        let result = try await TesseraProcess.run([
            "replay", "\(pcap)/vp8.pcap", "\(pcap)/h264.pcap", "\(pcap)/opus.pcap",
            "--sdp", "\(pcap)/vp8.sdp", "--sdp", "\(pcap)/h264.sdp", "--sdp", "\(pcap)/opus.sdp",
            "--out", out, "--job", job,
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.hasPrefix("replayed "))
        #expect(result.output.contains("3 participants, 0 video frames dropped"))
        let media = try MediaFileReader.decode(out)
        #expect(media.streams.map(\.codecName) == ["vp8", "opus"])
        #expect(media.streams[0].width == 640 && media.streams[0].height == 360)
        #expect(media.audioChannels == 1)
    }

    @Test func aMismatchedExtensionOrAMissingInputIsABadArgument() async throws {
        let wrong = try await TesseraProcess.run(["replay", "\(Self.fixtures)/mjr", "--out", temporaryPath("x.webm")])
        #expect(wrong.status == 2)
        #expect(wrong.errors.contains("a H264 recording is a .mp4 file"))
        let missing = try await TesseraProcess.run(["replay", "/nonexistent.pcap", "--out", temporaryPath("x.mp4")])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("/nonexistent.pcap"))
    }

    @Test func nothingDecodableSaysWhyAndWritesNothing() async throws {
        let out = temporaryPath("nothing.mp4")
        let result = try await TesseraProcess.run(["replay", "\(Self.fixtures)/pcap/opus.pcap", "--out", out])
        #expect(result.status == 2)
        #expect(result.errors.contains("no decodable media"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
