import AsyncHTTPClient
import Foundation
import JobConfig
import Logging
import NIOCore
import NIOHTTP1
import Storage

/// Delivers `recording.statusUpdate` events to the job's `webhook.url`, one at a time and in
/// the order they were sent: a message is retried (with the uploads' `RetryPolicy`, bounded in
/// attempts and in time per message, so a dead receiver delays the next message and the end of
/// the process by a bounded amount) on network errors,
/// 5xx and 429 before the next one goes out, and is never retried on another 4xx. A message that
/// finally fails is logged and counted; the recording goes on.
///
///     POST <url>
///     content-type: application/json
///     webhook-id / webhook-timestamp / webhook-signature   (see StatusWebhookSigner)
///
///     {"event":"recording.statusUpdate","recording":{...RecordingStatus...}}
public final class StatusWebhook: Sendable {
    public static let event = "recording.statusUpdate"
    /// Up to 8 attempts per message within 2 minutes, 0.5 s doubling to 30 s between them.
    public static let defaultRetryPolicy = RetryPolicy(
        maxAttempts: 8, initialDelay: .milliseconds(500), maxDelay: .seconds(30), maxTotal: .seconds(120))

    private let queue: AsyncStream<RecordingStatus>.Continuation
    private let deliveries: Task<Void, Never>

    /// `secret` nil: messages are sent unsigned (no `webhook-signature` header).
    public init(
        url: String, secret: Secret?, retryPolicy: RetryPolicy = StatusWebhook.defaultRetryPolicy,
        requestTimeout: Duration = .seconds(10),
        httpClient: HTTPClient = .shared, metrics: RecordingMetrics? = nil, logger: Logger
    ) throws(StatusWebhookSecretError) {
        let deliverer = StatusWebhookDeliverer(
            url: url, signer: try secret.map { secret throws(StatusWebhookSecretError) in
                try StatusWebhookSigner(secret: secret)
            },
            retryPolicy: retryPolicy, requestTimeout: requestTimeout, httpClient: httpClient, metrics: metrics, logger: logger)
        let (stream, queue) = AsyncStream<RecordingStatus>.makeStream(bufferingPolicy: .unbounded)
        self.queue = queue
        deliveries = Task {
            for await status in stream {
                await deliverer.deliver(status)
            }
        }
    }

    public convenience init(
        config: WebhookConfig, retryPolicy: RetryPolicy = StatusWebhook.defaultRetryPolicy,
        requestTimeout: Duration = .seconds(10),
        httpClient: HTTPClient = .shared, metrics: RecordingMetrics? = nil, logger: Logger
    ) throws(StatusWebhookSecretError) {
        try self.init(
            url: config.url, secret: config.secret, retryPolicy: retryPolicy, requestTimeout: requestTimeout, httpClient: httpClient,
            metrics: metrics, logger: logger)
    }

    deinit {
        queue.finish()
    }

    /// Queues the event for `status`; returns at once.
    public func send(_ status: RecordingStatus) {
        queue.yield(status)
    }

    /// Accepts no more events and returns once every queued one was delivered or given up.
    public func finish() async {
        queue.finish()
        await deliveries.value
    }

    /// The body of the event for `status`.
    public static func body(for status: RecordingStatus) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(StatusWebhookPayload(event: event, recording: status))) ?? Data()
    }
}

private struct StatusWebhookPayload: Encodable {
    let event: String
    let recording: RecordingStatus
}

/// One message's delivery with its retries.
private struct StatusWebhookDeliverer: Sendable {
    let url: String
    let signer: StatusWebhookSigner?
    let retryPolicy: RetryPolicy
    /// One HTTP request, connection included.
    let requestTimeout: Duration
    let httpClient: HTTPClient
    let metrics: RecordingMetrics?
    let logger: Logger

    private enum AttemptOutcome {
        case delivered(HTTPResponseStatus)
        case rejected(HTTPResponseStatus)
        case retryable(String)
    }

    func deliver(_ status: RecordingStatus) async {
        let id = "msg_" + UUID().uuidString.lowercased()
        let body = StatusWebhook.body(for: status)
        var logger = logger
        logger[metadataKey: "webhook_id"] = .string(id)
        logger[metadataKey: "recording_status"] = .string(status.status.rawValue)

        let clock = ContinuousClock()
        let deadline = clock.now + retryPolicy.maxTotal
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let remaining = clock.now.duration(to: deadline)
            let outcome = await send(id: id, body: body, timeout: max(.milliseconds(1), min(requestTimeout, remaining)))
            let reason: String
            switch outcome {
            case .delivered(let httpStatus):
                logger.debug("status webhook delivered", metadata: ["http_status": "\(httpStatus.code)", "attempt": "\(attempt)"])
                metrics?.countWebhookDelivery(succeeded: true)
                return
            case .rejected(let httpStatus):
                logger.error(
                    "status webhook rejected, not retried",
                    metadata: ["http_status": "\(httpStatus.code)", "attempt": "\(attempt)"])
                metrics?.countWebhookDelivery(succeeded: false)
                return
            case .retryable(let why):
                reason = why
            }
            let wait = retryPolicy.delay(afterAttempt: attempt, randomFraction: Double.random(in: 0...1, using: &random))
            guard attempt < retryPolicy.maxAttempts, clock.now + wait < deadline else {
                logger.error(
                    "status webhook not delivered, giving up",
                    metadata: ["attempts": "\(attempt)", "last_error": .string(reason)])
                metrics?.countWebhookDelivery(succeeded: false)
                return
            }
            logger.warning(
                "status webhook attempt failed, retrying",
                metadata: ["attempt": "\(attempt)", "error": .string(reason), "retry_in_ms": "\(wait / .milliseconds(1))"])
            do {
                try await Task.sleep(for: wait)
            } catch {
                logger.error("status webhook not delivered, cancelled", metadata: ["attempts": "\(attempt)"])
                metrics?.countWebhookDelivery(succeeded: false)
                return
            }
            attempt += 1
        }
    }

    private func send(id: String, body: Data, timeout: Duration) async -> AttemptOutcome {
        let timestamp = Int64(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let signer {
            request.headers.add(name: "webhook-signature", value: signer.signature(id: id, timestamp: timestamp, body: body))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout / .nanoseconds(1))))
            // The receiver's answer is not used; read a bounded amount so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200..<300: return .delivered(response.status)
            case _ where RetryPolicy.isRetryable(status: Int(response.status.code), code: nil):
                return .retryable("HTTP \(response.status.code)")
            default: return .rejected(response.status)
            }
        } catch {
            return .retryable("\(error)")
        }
    }
}
