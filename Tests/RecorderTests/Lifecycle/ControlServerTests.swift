import AsyncHTTPClient
import Foundation
import JobConfig
import NIOCore
import NIOHTTP1
import Testing

@testable import Recorder

/// What the recorder does for the control endpoint, minus the media: report the change.
private struct ReportingControlHandler: RecordingControlHandler {
    let reporter: RecordingStatusReporter

    func status() async -> RecordingStatus { await reporter.status }
    func stop() async throws -> RecordingStatus {
        try await reporter.apply(.stopped(.apiCall, fileSize: nil, recordingDuration: nil))
    }
    func pause() async throws -> RecordingStatus { try await reporter.apply(.paused) }
    func resume() async throws -> RecordingStatus { try await reporter.apply(.resumed) }
}

@Suite struct ControlServerTests {
    static let token = "control-token-7f3a"

    /// Runs a control server on an ephemeral loopback port for `body`, with a recording that is
    /// RECORDING, and shuts it down afterwards.
    private func withControlServer(
        _ body: (_ baseURL: String, _ reporter: RecordingStatusReporter, _ metrics: RecordingMetrics) async throws -> Void
    ) async throws {
        let metrics = RecordingMetrics()
        let reporter = try RecordingStatusReporter(
            lifecycle: RecordingLifecycle(
                recordingId: "rec-1", meetingId: "1234", invokedAt: Date(timeIntervalSince1970: 1_795_680_000)),
            statusFile: nil, webhook: nil, metrics: metrics, logger: silentLifecycleLogger)
        try await reporter.apply(.started(outputFileName: "a.mp4"))
        let server = ControlServer(
            configuration: .init(port: 0, token: Secret(Self.token)),
            handler: ReportingControlHandler(reporter: reporter), metrics: metrics, logger: silentLifecycleLogger)
        let (ports, portsContinuation) = AsyncStream<Int>.makeStream()
        let serverTask = Task {
            defer { portsContinuation.finish() }
            try await server.run { port in portsContinuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        #expect(port > 0)
        do {
            try await body("http://127.0.0.1:\(port)", reporter, metrics)
        } catch {
            serverTask.cancel()
            _ = await serverTask.result
            throw error
        }
        serverTask.cancel()
        _ = await serverTask.result
    }

    private func request(
        _ method: HTTPMethod, _ url: String, token: String? = Self.token
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    private func decodeStatus(_ body: String) throws -> RecordingStatus {
        try JSONDecoder().decode(RecordingStatus.self, from: Data(body.utf8))
    }

    @Test func pausesResumesAndStops() async throws {
        try await withControlServer { base, reporter, _ in
            let status = try await request(.GET, base + "/status")
            #expect(status.status == 200)
            #expect(try decodeStatus(status.body).status == .recording)
            #expect(try decodeStatus(status.body).outputFileName == "a.mp4")

            let paused = try await request(.POST, base + "/pause")
            #expect(paused.status == 200)
            #expect(try decodeStatus(paused.body).status == .paused)

            let pausedAgain = try await request(.POST, base + "/pause")
            #expect(pausedAgain.status == 409)
            #expect(pausedAgain.body.contains("cannot pause a recording that is PAUSED"))

            let resumed = try await request(.POST, base + "/resume")
            #expect(resumed.status == 200)
            #expect(try decodeStatus(resumed.body).status == .recording)

            let stopped = try await request(.POST, base + "/stop")
            #expect(stopped.status == 200)
            #expect(try decodeStatus(stopped.body).status == .uploading)
            #expect(try decodeStatus(stopped.body).stopReason == .apiCall)

            let resumedAfterStop = try await request(.POST, base + "/resume")
            #expect(resumedAfterStop.status == 409)
            #expect(await reporter.status.status == .uploading)
        }
    }

    @Test func rejectsAWrongOrMissingTokenAndChangesNothing() async throws {
        try await withControlServer { base, reporter, _ in
            var answers: [Int] = []
            for token in ["wrong-token", Self.token + "x", String(Self.token.dropLast()), ""] {
                answers.append(try await request(.POST, base + "/stop", token: token).status)
            }
            answers.append(try await request(.POST, base + "/pause", token: nil).status)
            answers.append(try await request(.GET, base + "/status", token: nil).status)
            answers.append(try await request(.GET, base + "/metrics", token: "wrong-token").status)
            #expect(answers == Array(repeating: 401, count: 7))
            #expect(await reporter.status.status == .recording)
        }
    }

    @Test func servesPrometheusText() async throws {
        try await withControlServer { base, _, metrics in
            metrics.setParticipants(3)
            metrics.countFrames(stage: "decode", in: 120, out: 118, dropped: 2)
            metrics.countFrames(stage: "composite", in: 60, out: 60)
            metrics.countBytesWritten(4096)
            metrics.countPacketsLost(7)
            metrics.countWebhookDelivery(succeeded: true)
            _ = try await request(.POST, base + "/pause")

            let response = try await request(.GET, base + "/metrics")
            #expect(response.status == 200)
            let samples = try #require(prometheusSamples(response.body))
            #expect(samples[#"tessera_recording_state{state="PAUSED"}"#] == 1)
            #expect(samples[#"tessera_recording_state{state="RECORDING"}"#] == 0)
            #expect(samples["tessera_participants"] == 3)
            #expect(samples[#"tessera_frames_in_total{stage="decode"}"#] == 120)
            #expect(samples[#"tessera_frames_out_total{stage="decode"}"#] == 118)
            #expect(samples[#"tessera_frames_dropped_total{stage="decode"}"#] == 2)
            #expect(samples[#"tessera_frames_in_total{stage="composite"}"#] == 60)
            #expect(samples["tessera_bytes_written_total"] == 4096)
            #expect(samples["tessera_packets_lost_total"] == 7)
            #expect(samples[#"tessera_webhook_deliveries_total{result="ok"}"#] == 1)
            #expect(samples[#"tessera_webhook_deliveries_total{result="failed"}"#] == 0)
        }
    }
}
