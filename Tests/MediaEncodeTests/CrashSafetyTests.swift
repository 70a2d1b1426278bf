import Foundation
import MediaEncode
import TestSupport
import Testing

/// A recorder killed with SIGKILL (OOM killer, node loss, `kill -9`) must leave a file that
/// plays up to at most 2 s before the kill. Runs the real `tessera` binary at real-time pace.
extension MediaEncodeSuite {
    @Suite struct CrashSafetyTests {
        @Test(arguments: [VideoCodec.h264, .vp8])
        func killedRecorderLeavesAPlayableFile(codec: VideoCodec) throws {
            let path = temporaryFolder() + "/killed.\(codec.fileExtension)"
            let process = Process()
            process.executableURL = try TesseraProcess.executable()
            process.arguments = [
                "synth", "--realtime", "--progress", "--seconds", "30", "--codec", codec.rawValue,
                "--width", "320", "--height", "180", "--out", path,
            ]
            let stdout = Pipe()
            process.standardOutput = stdout
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            // Kill right after the recorder reports 6 s of media written.
            var written = 0
            var buffer = Data()
            let deadline = Date().addingTimeInterval(60)
            while written < 6, Date() < deadline {
                let chunk = stdout.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                buffer.append(chunk)
                for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                    if let value = line.split(separator: "=").last.flatMap({ Int($0) }) { written = max(written, value) }
                }
            }
            try #require(written >= 6, "the recorder reported \(written) s before the deadline")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let media = try MediaFileReader.decode(path, keepPixels: false)
            try #require(media.streams.count == 2)
            let lastFrame = try #require(media.videoFrames.last).timestamp.seconds
            #expect(lastFrame >= Double(written) - 2 - 1.0 / 30, "killed after \(written) s; plays to \(lastFrame) s")
            #expect(Double(media.audioFrameCount) / 48_000 >= Double(written) - 2.1)
        }
    }
}
