import Foundation
import Logging

/// Applies the recording's events and tells everyone who watches: on every change it rewrites
/// the status file, queues a status webhook, updates the state metric and logs the change.
/// The one place the recorder (and the control endpoint, through the recorder) changes state.
public actor RecordingStatusReporter {
    private var lifecycle: RecordingLifecycle
    private let statusFile: RecordingStatusFile?
    private let webhook: StatusWebhook?
    private let metrics: RecordingMetrics?
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Publishes `lifecycle`'s current status at once (status file, webhook, metric), so a
    /// watcher sees INVOKED (or, after a restart, the state read back) before anything else.
    public init(
        lifecycle: RecordingLifecycle, statusFile: RecordingStatusFile?, webhook: StatusWebhook?,
        metrics: RecordingMetrics?, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(RecordingStatusFileError) {
        self.lifecycle = lifecycle
        self.statusFile = statusFile
        self.webhook = webhook
        self.metrics = metrics
        self.logger = logger
        self.now = now
        try Self.publish(lifecycle.status, statusFile: statusFile, webhook: webhook, metrics: metrics)
        logger.info("recording status", metadata: ["status": .string(lifecycle.state.rawValue)])
    }

    public var status: RecordingStatus { lifecycle.status }

    /// SPEC.md's exit code for the state reached; nil until a final state.
    public var exitCode: Int32? { lifecycle.exitCode }

    /// Applies `event` now. An illegal transition changes and publishes nothing. The new state
    /// is kept even when the status file cannot be written (that error is thrown after the
    /// webhook is queued).
    @discardableResult
    public func apply(_ event: RecordingEvent) throws(RecordingReportError) -> RecordingStatus {
        let previous = lifecycle.state
        let status: RecordingStatus
        do {
            status = try lifecycle.apply(event, at: now())
        } catch {
            throw .transition(error)
        }
        var metadata: Logger.Metadata = [
            "status": .string(status.status.rawValue), "previous_status": .string(previous.rawValue),
        ]
        if let reason = status.stopReason { metadata["stop_reason"] = .string(reason.rawValue) }
        if let message = status.errorMessage, status.status == .errored { metadata["error"] = .string(message) }
        logger.info("recording status", metadata: metadata)
        do {
            try Self.publish(status, statusFile: statusFile, webhook: webhook, metrics: metrics)
        } catch {
            logger.error("cannot write the status file", metadata: ["error": "\(error)"])
            throw .statusFile(error)
        }
        return status
    }

    private static func publish(
        _ status: RecordingStatus, statusFile: RecordingStatusFile?, webhook: StatusWebhook?,
        metrics: RecordingMetrics?
    ) throws(RecordingStatusFileError) {
        metrics?.setState(status.status)
        webhook?.send(status)
        try statusFile?.write(status)
    }
}

public enum RecordingReportError: Error, Sendable, Hashable, CustomStringConvertible {
    case transition(RecordingTransitionError)
    case statusFile(RecordingStatusFileError)

    public var description: String {
        switch self {
        case .transition(let error): "\(error)"
        case .statusFile(let error): "\(error)"
        }
    }
}
