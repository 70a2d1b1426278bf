import Foundation
import JobConfig
import Logging
import Storage
import Testing

@testable import Recorder

@Suite struct StatusWebhookTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    // Attempts, not time, bound these tests: the total is generous for a loaded machine.
    static let fast = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100), maxTotal: .seconds(60))
    let invoked = Date(timeIntervalSince1970: 1_795_680_000)

    /// The statuses of one recording that is started, paused, resumed, stopped and uploaded.
    private func statusesOfACompleteRecording() throws -> [RecordingStatus] {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        var statuses = [lifecycle.status]
        let events: [RecordingEvent] = [
            .started(outputFileName: "acme_1234_1795680001000.mp4"), .paused, .resumed,
            .stopped(.apiCall, fileSize: 123_456, recordingDuration: 42),
            .uploaded(downloadUrl: "https://store.example/acme.mp4", audioDownloadUrl: nil,
                downloadUrlExpiry: invoked + 3600),
        ]
        for (index, event) in events.enumerated() {
            statuses.append(try lifecycle.apply(event, at: invoked + Double(index + 1)))
        }
        return statuses
    }

    @Test func signsLikeTheStandardWebhooksExample() throws {
        // The example of the Standard Webhooks specification, and a secret without the prefix.
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let prefixed = try StatusWebhookSigner(secret: Secret(Self.secret))
        #expect(
            prefixed.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let raw = try StatusWebhookSigner(secret: Secret("plain-secret"))
        #expect(
            raw.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
                == "v1,3Iu+JbC8cHey9rJURLZfxQoX30vMfLebm9Kn1ePn6f4=")
        var dumped = ""
        dump(prefixed, to: &dumped)
        #expect("\(prefixed) \(dumped)" == "StatusWebhookSigner(***) - StatusWebhookSigner(***)\n")
        #expect(throws: StatusWebhookSecretError.self) { try StatusWebhookSigner(secret: Secret("whsec_!!notbase64")) }
        #expect(throws: StatusWebhookSecretError.self) { try StatusWebhookSigner(secret: Secret("")) }
    }

    @Test func deliversEveryStateSignedAndInOrder() async throws {
        let receiver = try await WebhookReceiverProcess(secret: Self.secret)
        defer { receiver.stop() }
        let metrics = RecordingMetrics()
        let webhook = try StatusWebhook(
            url: receiver.url("/hook"), secret: Secret(Self.secret), retryPolicy: Self.fast, metrics: metrics,
            logger: silentLifecycleLogger)
        let statuses = try statusesOfACompleteRecording()
        statuses.forEach(webhook.send)
        await webhook.finish()

        let received = try await receiver.received()
        #expect(received.map(\.payload?.recording.status) == [.invoked, .recording, .paused, .recording, .uploading, .uploaded])
        #expect(received.map(\.payload?.recording) == statuses)
        #expect(received.allSatisfy { $0.verified && $0.fresh && $0.answer == "200" })
        #expect(received.allSatisfy { $0.payload?.event == "recording.statusUpdate" && $0.contentType == "application/json" })
        #expect(Set(received.map(\.id)).count == statuses.count)
        #expect(received.allSatisfy { $0.id.hasPrefix("msg_") })
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="ok"}"#] == 6)
    }

    @Test func theReceiverRejectsASignatureMadeWithAnotherSecret() async throws {
        let receiver = try await WebhookReceiverProcess(secret: Self.secret)
        defer { receiver.stop() }
        let webhook = try StatusWebhook(
            url: receiver.url("/hook"), secret: Secret("whsec_b3RoZXIgc2VjcmV0"), retryPolicy: Self.fast,
            logger: silentLifecycleLogger)
        webhook.send(RecordingStatus(id: "rec-1", meetingId: "1234", invokedTime: invoked))
        await webhook.finish()
        let received = try await receiver.received()
        #expect(received.count == 1)
        #expect(received.first?.verified == false)
        #expect(received.first?.fresh == true)
    }

    @Test func retriesOn500WithTheSameIdAndKeepsOrder() async throws {
        let receiver = try await WebhookReceiverProcess(secret: "plain-secret")
        defer { receiver.stop() }
        let metrics = RecordingMetrics()
        let webhook = try StatusWebhook(
            url: receiver.url("/hook?answer=500&times=2"), secret: Secret("plain-secret"), retryPolicy: Self.fast,
            metrics: metrics, logger: silentLifecycleLogger)
        let statuses = Array(try statusesOfACompleteRecording().prefix(3))
        statuses.forEach(webhook.send)
        await webhook.finish()

        let received = try await receiver.received()
        #expect(received.map(\.answer) == ["500", "500", "200", "200", "200"])
        #expect(received.map(\.payload?.recording.status) == [.invoked, .invoked, .invoked, .recording, .paused])
        #expect(received[0].id == received[1].id && received[1].id == received[2].id)
        #expect(received[2].id != received[3].id)
        #expect(received.allSatisfy { $0.verified })
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="ok"}"#] == 3)
    }

    @Test func retriesADroppedConnection() async throws {
        let receiver = try await WebhookReceiverProcess(secret: Self.secret)
        defer { receiver.stop() }
        let webhook = try StatusWebhook(
            url: receiver.url("/hook?answer=drop&times=1"), secret: Secret(Self.secret), retryPolicy: Self.fast,
            logger: silentLifecycleLogger)
        let statuses = Array(try statusesOfACompleteRecording().prefix(2))
        statuses.forEach(webhook.send)
        await webhook.finish()

        let received = try await receiver.received()
        #expect(received.map(\.answer) == ["drop", "200", "200"])
        #expect(received.map(\.payload?.recording.status) == [.invoked, .invoked, .recording])
        #expect(received[0].id == received[1].id)
        #expect(received.allSatisfy { $0.verified })
    }

    @Test func doesNotRetryA400AndLogsWithoutTheSecret() async throws {
        let receiver = try await WebhookReceiverProcess(secret: Self.secret)
        defer { receiver.stop() }
        let metrics = RecordingMetrics()
        let logs = CapturedLogLines()
        let webhook = try StatusWebhook(
            url: receiver.url("/hook?answer=400"), secret: Secret(Self.secret), retryPolicy: Self.fast,
            metrics: metrics, logger: logs.logger())
        let statuses = Array(try statusesOfACompleteRecording().prefix(2))
        statuses.forEach(webhook.send)
        await webhook.finish()

        let received = try await receiver.received()
        #expect(received.map(\.answer) == ["400", "400"])
        #expect(received.map(\.payload?.recording.status) == [.invoked, .recording])
        #expect(received[0].id != received[1].id)
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="failed"}"#] == 2)
        #expect(logs.text.contains("status webhook rejected, not retried"))
        #expect(!logs.text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
    }

    @Test func givesUpAfterTheLastAttemptAndGoesOn() async throws {
        let receiver = try await WebhookReceiverProcess(secret: Self.secret)
        defer { receiver.stop() }
        let metrics = RecordingMetrics()
        let webhook = try StatusWebhook(
            url: receiver.url("/hook?answer=503&times=4"), secret: Secret(Self.secret), retryPolicy: Self.fast,
            metrics: metrics, logger: silentLifecycleLogger)
        let statuses = Array(try statusesOfACompleteRecording().prefix(2))
        statuses.forEach(webhook.send)
        await webhook.finish()

        let received = try await receiver.received()
        // INVOKED: 4 attempts, all 503, given up; RECORDING then goes through.
        #expect(received.map(\.answer) == ["503", "503", "503", "503", "200"])
        #expect(received.last?.payload?.recording.status == .recording)
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="failed"}"#] == 1)
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="ok"}"#] == 1)
    }

    @Test func boundsTheTimeSpentOnAnUnreachableReceiver() async throws {
        let metrics = RecordingMetrics()
        let policy = RetryPolicy(maxAttempts: 100, initialDelay: .milliseconds(50), maxDelay: .milliseconds(200), maxTotal: .milliseconds(700))
        // Port 9 on loopback: nothing listens, connections are refused.
        let webhook = try StatusWebhook(
            url: "http://127.0.0.1:9/hook", secret: nil, retryPolicy: policy, requestTimeout: .milliseconds(200), metrics: metrics,
            logger: silentLifecycleLogger)
        webhook.send(RecordingStatus(id: "rec-1", meetingId: "1234", invokedTime: invoked))
        // Returns once the budget is spent (no wall-clock bound asserted: on a busy test machine
        // the cooperative pool can hold this task for seconds).
        await webhook.finish()
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_webhook_deliveries_total{result="failed"}"#] == 1)
    }
}
