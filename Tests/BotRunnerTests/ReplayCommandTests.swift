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

    /// Every layout type of the job config replays.
    @Test(arguments: ["grid", "auto", "speaker", "single_speaker", "presentation"])
    func everyLayoutTypeReplays(type: String) async throws {
        let folder = (temporaryPath("x") as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let job = folder + "/\(type).json"
        try Data(#"{"video_config": {"width": 640, "height": 360, "fps": 15, "layout": {"type": "\#(type)"}}}"#.utf8).write(to: URL(fileURLWithPath: job))
        let result = try await TesseraProcess.run(["replay", "\(Self.fixtures)/mjr", "--out", folder + "/\(type).mp4", "--job", job])
        #expect(result.status == 0, "\(type): \(result.errors)")
        #expect(try MediaFileReader.decode(folder + "/\(type).mp4", keepPixels: false).videoFrames.count > 10)
    }

    @Test func nothingDecodableSaysWhyAndWritesNothing() async throws {
        let out = temporaryPath("nothing.mp4")
        let result = try await TesseraProcess.run(["replay", "\(Self.fixtures)/pcap/opus.pcap", "--out", out])
        #expect(result.status == 2)
        #expect(result.errors.contains("no decodable media"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A job's watermark (a PNG, half transparent white on the left, opaque white on the
    /// right) in the top-right corner of every frame, over the tiles; a watermark that cannot
    /// be read stops the job before anything is written, naming the field.
    @Test func drawsTheJobsWatermarkInItsCorner() async throws {
        let folder = (temporaryPath("x") as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let logo = folder + "/logo.png"
        _ = try await ChildProcess.output(of: [
            "/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", "nullsrc=s=64x32,format=rgba,geq=r=255:g=255:b=255:a='if(lt(X,32),128,255)'", "-frames:v", "1", logo,
        ])
        func job(_ url: String) throws -> String {
            let path = folder + "/job-\(UUID().uuidString.prefix(4)).json"
            try Data(#"{"video_config": {"width": 640, "height": 360, "fps": 15, "watermark": {"url": "\#(url)", "position": "right top"}}}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
            return path
        }
        let out = folder + "/watermarked.mp4"
        let pcap = "\(Self.fixtures)/pcap"
        let result = try await TesseraProcess.run([
            "replay", "\(pcap)/vp8.pcap", "--sdp", "\(pcap)/vp8.sdp", "--out", out, "--job", try job("file://" + logo),
        ])
        #expect(result.status == 0, "\(result.errors)")
        let media = try MediaFileReader.decode(out)
        #expect(media.videoFrames.count > 10)
        // The logo covers x 560..<624, y 16..<48: opaque white on its right half, half
        // transparent on its left half (white over the tile: brighter than the tile, not white).
        for frame in media.videoFrames {
            let opaque = PictureMetrics.mean(frame, .y, x: 596, y: 20, width: 24, height: 24)
            let tile = PictureMetrics.mean(frame, .y, x: 560, y: 60, width: 28, height: 24)
            let half = PictureMetrics.mean(frame, .y, x: 564, y: 20, width: 24, height: 24)
            #expect(abs(opaque - 235) < 4, "opaque part: \(opaque)")
            #expect(half > tile + 10 && half < 230, "half-transparent part \(half) over a tile of \(tile)")
        }
        let missing = try await TesseraProcess.run([
            "replay", "\(pcap)/vp8.pcap", "--sdp", "\(pcap)/vp8.sdp", "--out", folder + "/none.mp4", "--job", try job("file:///nonexistent/logo.png"),
        ])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("video_config.watermark.url") && missing.errors.contains("/nonexistent/logo.png"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.mp4"))
    }
}
