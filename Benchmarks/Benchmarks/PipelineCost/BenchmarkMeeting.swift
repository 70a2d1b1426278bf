import Foundation
import MediaEncode
import MediaTypes
import Recorder

/// The 9-participant meeting the pipeline benchmarks replay: a pcap of plain RTP made by
/// `scripts/make-benchmark-meeting`, which runs the first time it is missing.
enum BenchmarkMeeting {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repository.appendingPathComponent("Benchmarks/.data/meeting9").path
    static let capture = folder + "/meeting.pcap"
    static let generator = repository.appendingPathComponent("scripts/make-benchmark-meeting").path


    /// Makes the meeting unless it exists; throws with the command to run when that fails.
    static func ensure() throws {
        guard !FileManager.default.fileExists(atPath: capture) else { return }
        print("PipelineCost: \(capture) is missing; making it with \(generator) (about a minute)")
        let status = try Tool.run(generator, [folder])
        guard status == 0, FileManager.default.fileExists(atPath: capture) else {
            throw BenchmarkSetupError("\(generator) \(folder) failed (exit \(status)); run it by hand (as root, for tcpdump)")
        }
    }

    /// Replays the meeting into `output`.
    static func replay(into output: RecordingOutput, progress: @escaping (MediaTime) -> Void = { _ in }) throws -> Replay.Summary {
        // meeting.sdp's payload types (VP8 96, H.264 102, Opus 111) are common WebRTC ones, which
        // the ingest knows without an SDP.
        let replay = Replay(sources: try DumpSource.open([capture]), payloadTypes: PayloadTypeMap(),
                            settings: CompositeSettings(output: output))
        return try replay.run(PipelineOptions(progress: { progress($0.time) }))
    }
}

struct BenchmarkSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs command-line tools (the meeting generator, ffmpeg, ffprobe).
enum Tool {
    /// Runs `tool` (a path, or a name looked up on PATH) and returns its exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `tool` and returns what it printed (stdout and stderr); throws when it fails.
    static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchmarkSetupError("\(tool) \(arguments.joined(separator: " ")) failed: \(text.suffix(500))")
        }
        return text
    }
}
