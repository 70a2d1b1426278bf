import Foundation
import TestSupport
import Testing

/// `tessera probe` as a user runs it on the fixtures.
@Suite struct ProbeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    @Test(arguments: [
        ("vp8", "pt 96  VP8 (SDP)", "packets 65  lost 0", "frames 30  keyframes 2  resolution 320x180"),
        ("h264", "pt 96  H264 (SDP)", "packets 68  lost 0", "frames 30  keyframes 2  resolution 320x180"),
        ("opus", "pt 97  opus (SDP)", "packets 101  lost 0", "frames 101"),
    ])
    func listsTheStreamOfEachCapture(name: String, codec: String, packets: String, frames: String) async throws {
        let result = try await TesseraProcess.run(["probe", "\(Self.fixtures)/pcap/\(name).pcap", "--sdp", "\(Self.fixtures)/pcap/\(name).sdp"])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        try #require(lines.count == 2, "\(result.output)")
        #expect(lines[0].hasSuffix("1 stream"))
        for expected in [codec, packets, frames] { #expect(lines[1].contains(expected), "\(lines[1]) lacks \(expected)") }
    }

    @Test func listsEveryTrackOfAFolderOfJanusRecordings() async throws {
        let result = try await TesseraProcess.run(["probe", "\(Self.fixtures)/mjr"])
        #expect(result.status == 0)
        let streams = result.output.split(separator: "\n").dropFirst()
        #expect(streams.count == 4)
        #expect(streams.filter { $0.contains("VP8 (recording header)  participant vp8") && $0.contains("frames 45") }.count == 1)
        #expect(streams.filter { $0.contains("H264 (recording header)  participant h264") && $0.contains("frames 45") }.count == 1)
        #expect(streams.filter { $0.contains("opus (recording header)") && $0.contains("frames 150") }.count == 2)
    }

    @Test func saysWhatAFileIsNot() async throws {
        let result = try await TesseraProcess.run(["probe", "\(Self.fixtures)/mjr/README.md"])
        #expect(result.status == 2)
        #expect(result.errors.contains("not a pcap, pcapng or mjr file"))
        let missing = try await TesseraProcess.run(["probe", "/nonexistent/dump.pcap"])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("/nonexistent/dump.pcap"))
    }
}
