import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// What an orchestrator sees of a recording run by `tessera replay`: states in the status file
/// and in signed webhooks, the control endpoint, signals, the upload and the exit code. Replays
/// of the bundled sample meeting (4 participants, 15 s), in real time where a test acts while
/// it records. Serialized: each test holds a thread while its process runs.
@Suite(.serialized) struct RecordingSessionTests {
    static let meeting = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/meeting").path
    static let webhookSecret = "whsec_" + Data("tessera-session-test-signing-key".utf8).base64EncodedString()
    static let controlToken = "control-token-0123456789abcdef"

    /// The fields of the status the tests look at.
    struct Status: Decodable, Sendable {
        let status: String
        let stopReason: String?
        let outputFileName: String?
        let downloadUrl: String?
        let errorMessage: String?
        let recordingDuration: Int?
    }

    let folder = NSTemporaryDirectory() + "tessera-session-\(UUID().uuidString.prefix(8))"

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func writeJob(storagePath: String, webhookURL: String? = nil) throws -> String {
        var job: [String: Any] = [
            "meeting": ["url": "ws://127.0.0.1:8188", "room": 1234],
            "video_config": ["width": 640, "height": 360, "fps": 15],
            "storage_config": ["type": "local", "path": storagePath],
        ]
        if let webhookURL { job["webhook"] = ["url": webhookURL, "secret": Self.webhookSecret] }
        let path = folder + "/job.json"
        try JSONSerialization.data(withJSONObject: job).write(to: URL(fileURLWithPath: path))
        return path
    }

    func statusFile(_ out: String) throws -> Status {
        try JSONDecoder().decode(Status.self, from: Data(contentsOf: URL(fileURLWithPath: out + ".status.json")))
    }

    /// Polls the status file until it says `state` (false after `timeout`).
    func waitForStatus(_ out: String, _ state: String, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if (try? statusFile(out))?.status == state { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A real-time replay into `name` with local storage and a webhook receiver (answering as
    /// `webhookQuery` says), SIGTERMed 3 s after it started recording.
    func replayInRealTimeThenSignal(_ name: String, webhookQuery: String = "") async throws
        -> (receiver: WebhookReceiver<Status>, storage: String, out: String, process: TesseraProcess.Running)
    {
        let receiver = try await WebhookReceiver<Status>(secret: Self.webhookSecret)
        let storage = folder + "/storage", out = folder + "/" + name
        let job = try writeJob(storagePath: storage, webhookURL: receiver.url("/hook" + webhookQuery))
        let process = try TesseraProcess.start(["replay", Self.meeting, "--out", out, "--job", job, "--realtime"])
        #expect(await waitForStatus(out, "RECORDING"))
        try await Task.sleep(for: .seconds(3))
        process.signal(SIGTERM)
        return (receiver, storage, out, process)
    }

    @Test func aReplayGoesThroughEveryStateWithSignedWebhooksAndLandsInStorage() async throws {
        let receiver = try await WebhookReceiver<Status>(secret: Self.webhookSecret)
        defer { receiver.stop() }
        let storage = folder + "/storage", out = folder + "/meeting.mp4"
        let job = try writeJob(storagePath: storage, webhookURL: receiver.url("/hook"))
        let result = try await TesseraProcess.run(["replay", Self.meeting, "--out", out, "--job", job])
        #expect(result.status == 0, "\(result.errors)")

        let received = try await receiver.received()
        #expect(received.map { $0.payload?.recording.status } == ["INVOKED", "RECORDING", "UPLOADING", "UPLOADED"])
        #expect(received.allSatisfy { $0.verified })
        let final = try #require(received.last?.payload?.recording)
        #expect(final.stopReason == "MEETING_ENDED")
        #expect(final.outputFileName == "meeting.mp4")
        #expect(final.downloadUrl == URL(fileURLWithPath: storage + "/meeting.mp4").absoluteString)
        #expect((14...16).contains(final.recordingDuration ?? 0))
        #expect(try statusFile(out).status == "UPLOADED")
        // The stored copy is the recording, byte for byte; the secret was never logged.
        #expect(FileManager.default.contentsEqual(atPath: out, andPath: storage + "/meeting.mp4"))
        #expect(!result.errors.contains(Self.webhookSecret))
    }

    @Test func sigtermFinishesTheFileUploadsAndExitsZero() async throws {
        let (receiver, storage, _, process) = try await replayInRealTimeThenSignal("signal.mp4")
        defer { receiver.stop() }
        let result = await process.wait(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("signal received, finishing the recording"))

        let states = try await receiver.received().compactMap { $0.payload?.recording }
        #expect(states.map(\.status) == ["INVOKED", "RECORDING", "UPLOADING", "UPLOADED"])
        #expect(states.last?.stopReason == "SIGNAL")
        let media = try MediaFileReader.decode(storage + "/signal.mp4", keepPixels: false)
        let duration = try #require(media.formatDuration)
        // Stopped about 3 s in (plus the playout delay), well before the meeting's 15 s.
        #expect(duration > 2 && duration < 10, "duration \(duration)")
        #expect(media.videoFrames.count > 30)
    }

    /// The first signal finishes the file; the process then waits for a webhook receiver that
    /// keeps failing (retries with backoff, minutes at most). A second signal ends that wait at
    /// once; the recording is already complete and delivered.
    @Test func aSecondSignalEndsTheProcessAtOnceAndLeavesAPlayableFile() async throws {
        let (receiver, storage, out, process) = try await replayInRealTimeThenSignal("forced.mp4", webhookQuery: "?answer=500&times=1000")
        defer { receiver.stop() }
        #expect(await waitForStatus(out, "UPLOADED"))
        try await Task.sleep(for: .seconds(1))
        #expect(process.isRunning, "still delivering the first webhook")
        let signalled = Date()
        process.signal(SIGTERM)
        let result = await process.wait(timeout: .seconds(30))
        // Not the minutes the webhook retries would take (generous for a loaded machine).
        #expect(Date().timeIntervalSince(signalled) < 20)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("second signal received"))
        let media = try MediaFileReader.decode(storage + "/forced.mp4", keepPixels: false)
        #expect(media.videoFrames.count >= 30, "frames \(media.videoFrames.count)")
        #expect(media.audioFrameCount > 0)
    }

    @Test func theControlEndpointPausesResumesAndStopsAndRefusesAWrongToken() async throws {
        let out = folder + "/control.mp4"
        let job = try writeJob(storagePath: folder + "/storage")
        let process = try TesseraProcess.start(
            ["replay", Self.meeting, "--out", out, "--job", job, "--realtime", "--control-port", "0"],
            environment: ["TESSERA_CONTROL_TOKEN": Self.controlToken])
        #expect(await process.waitForErrors(containing: "control endpoint listening", timeout: .seconds(30)))
        let port = try #require(process.errorsSoFar.firstMatch(of: /address=127\.0\.0\.1:(\d+)/).map { String($0.1) })
        let base = "http://127.0.0.1:\(port)"
        #expect(await waitForStatus(out, "RECORDING"))

        func call(_ method: HTTPMethod, _ path: String, token: String = Self.controlToken) async throws -> (Int, Status?) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), try? JSONDecoder().decode(Status.self, from: Data(body.readableBytesView)))
        }

        let started = Date()
        #expect(try await call(.POST, "/pause", token: "wrong-token-0123456789").0 == 401)
        #expect(try await call(.GET, "/status").1?.status == "RECORDING")
        try await Task.sleep(for: .seconds(1))
        #expect(try await call(.POST, "/pause").1?.status == "PAUSED")
        #expect(try await call(.POST, "/pause").0 == 409)
        try await Task.sleep(for: .seconds(4))
        #expect(try await call(.POST, "/resume").1?.status == "RECORDING")
        try await Task.sleep(for: .seconds(2))
        let (code, stopped) = try await call(.POST, "/stop")
        let wall = Date().timeIntervalSince(started)
        #expect(code == 200)
        #expect(stopped?.status == "UPLOADING" || stopped?.status == "UPLOADED")
        #expect(stopped?.stopReason == "API_CALL")
        let result = await process.wait(timeout: .seconds(60))
        #expect(result.status == 0, "\(result.errors)")

        // The paused span (about 4 s) is not in the output, and its timestamps have no gap.
        let media = try MediaFileReader.decode(out, keepPixels: false)
        let duration = try #require(media.formatDuration)
        #expect(duration < wall - 2, "duration \(duration) of \(wall) s recorded")
        let times = media.videoFrames.map(\.timestamp.seconds)
        let largestStep = zip(times.dropFirst(), times).map { $0 - $1 }.max() ?? 0
        #expect(largestStep < 0.1, "a gap of \(largestStep) s in the video timestamps")
        let audioSeconds = Double(media.audioFrameCount) / 48_000
        #expect(abs(audioSeconds - duration) < 0.2, "audio \(audioSeconds) s, file \(duration) s")
    }

    @Test func anUploadThatFailsKeepsTheFileSaysWhereAndExitsFive() async throws {
        // The storage folder would have to be inside a regular file.
        let blocker = folder + "/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let out = folder + "/kept.mp4"
        let job = try writeJob(storagePath: blocker + "/storage")
        let result = try await TesseraProcess.run(["replay", Self.meeting, "--out", out, "--job", job])
        #expect(result.status == 5, "\(result.errors)")
        #expect(result.errors.contains("the recording is kept at \(out)"))
        let status = try statusFile(out)
        #expect(status.status == "ERRORED")
        #expect(status.stopReason == "MEETING_ENDED")
        #expect(status.errorMessage?.contains(out) == true)
        #expect(try MediaFileReader.decode(out, keepPixels: false).videoFrames.count > 100)
    }
}
