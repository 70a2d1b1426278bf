import Foundation
import JobConfig
import Logging
import MediaTypes
import Storage
import Synchronization

/// What a media pipeline (a replay or a live recording) produced.
public struct RecordedOutput: Sendable {
    /// The composite first, then the separate audio file if there is one.
    public var files: [String]
    /// Length of the output media (paused spans are not in it).
    public var duration: MediaTime
    public var stopReason: RecordingStopReason

    public init(files: [String], duration: MediaTime, stopReason: RecordingStopReason) {
        self.files = files
        self.duration = duration
        self.stopReason = stopReason
    }
}

/// What the session hands the media pipeline it runs.
public struct RecordingPipelineContext: Sendable {
    /// Stop and pause requests; the pipeline reads them once per output tick.
    public let control: RecordingControl
    public let metrics: RecordingMetrics
    /// To be called once, when the pipeline creates the output file (the recording starts).
    public let started: @Sendable (_ outputFileName: String) -> Void
}

/// How one recording ended, for the process that ran it.
public struct RecordingOutcome: Sendable {
    public var status: RecordingStatus
    /// SPEC.md's exit code for `status`.
    public var exitCode: Int32
    /// The pipeline's error when it failed (nil when the failure was the upload's or none).
    public var pipelineError: (any Error)?
}

/// One recording's life around its media pipeline: reports every state change (status file,
/// signed webhooks, metrics, logs), serves the control endpoint, runs the pipeline, then hands
/// the finished files to storage. The same for `record` and `replay`, so an orchestrator sees
/// both go through the same states.
public final class RecordingSession: RecordingControlHandler {
    public struct Options: Sendable {
        /// nil: no control endpoint.
        public var controlEndpoint: ControlServer.Configuration?

        public init(controlEndpoint: ControlServer.Configuration? = nil) {
            self.controlEndpoint = controlEndpoint
        }
    }

    public let control = RecordingControl()
    public let metrics: RecordingMetrics
    private let reporter: RecordingStatusReporter
    private let webhook: StatusWebhook?
    private let storageConfig: StorageConfig?
    private let options: Options
    private let logger: Logger
    private let stopped = Completion()

    /// Publishes INVOKED at once. `statusFile` nil: no status file (tests).
    public init(job: JobConfig, meetingID: String, statusFile: RecordingStatusFile?, options: Options, logger: Logger) throws {
        let metrics = RecordingMetrics()
        self.metrics = metrics
        webhook = try job.webhook.map { config in
            try StatusWebhook(config: config, metrics: metrics, logger: logger)
        }
        reporter = try RecordingStatusReporter(
            lifecycle: RecordingLifecycle(recordingId: job.recordingID, meetingId: meetingID, invokedAt: Date()),
            statusFile: statusFile, webhook: webhook, metrics: metrics, logger: logger)
        storageConfig = job.storageConfig
        self.options = options
        self.logger = logger
    }

    /// Runs `pipeline` to its end (its input ends, a stop rule fires, or a stop is requested),
    /// uploads what it wrote, and returns once the last webhook was delivered or given up.
    public func run(
        _ pipeline: @escaping @Sendable (RecordingPipelineContext) async throws -> RecordedOutput
    ) async -> RecordingOutcome {
        let server = options.controlEndpoint.map { configuration in
            let endpoint = ControlServer(configuration: configuration, handler: self, metrics: metrics, logger: logger)
            return Task { [logger] in
                do {
                    try await endpoint.run()
                } catch {
                    logger.error("control endpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
        defer { server?.cancel() }

        // `started` comes from the pipeline's thread; a queue keeps it ahead of what follows.
        let (starts, startSink) = AsyncStream.makeStream(of: String.self)
        let reporter = reporter
        let startReporting = Task {
            for await name in starts { _ = try? await reporter.apply(.started(outputFileName: name)) }
        }
        let context = RecordingPipelineContext(control: control, metrics: metrics, started: { startSink.yield($0) })
        let result: Result<RecordedOutput, any Error>
        do {
            result = .success(try await pipeline(context))
        } catch {
            result = .failure(error)
        }
        startSink.finish()
        await startReporting.value

        var pipelineError: (any Error)?
        switch result {
        case .success(let output):
            let sizes = output.files.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64) ?? 0 }
            metrics.countBytesWritten(Int(sizes.reduce(0, +)))
            let size = sizes.first
            await apply(.stopped(output.stopReason, fileSize: size, recordingDuration: Int(output.duration.seconds.rounded())))
            stopped.complete()
            await upload(output.files)
        case .failure(let error):
            pipelineError = error
            await apply(.failed(message: "\(error)"))
            stopped.complete()
        }
        await webhook?.finish()
        let status = await reporter.status
        return RecordingOutcome(status: status, exitCode: await reporter.exitCode ?? 4, pipelineError: pipelineError)
    }

    private func upload(_ files: [String]) async {
        guard let storageConfig else {
            await apply(.uploaded(downloadUrl: nil, audioDownloadUrl: nil, downloadUrlExpiry: nil))
            return
        }
        do {
            let storage = try storageConfig.makeStorage(logger: logger)
            var stored: [StoredObject] = []
            for file in files {
                let name = (file as NSString).lastPathComponent
                let key = storageConfig.key(forFileNamed: name)
                logger.info("uploading", metadata: ["file": "\(file)", "key": "\(key)", "storage": "\(storageConfig.type.rawValue)"])
                let object = try await storage.upload(
                    localPath: file, key: key, contentType: Self.contentType(of: name), progress: { _ in })
                logger.info("uploaded", metadata: ["file": "\(file)", "location": "\(object.location)", "bytes": "\(object.size)"])
                stored.append(object)
            }
            let url = { (object: StoredObject?) in
                object.map { $0.downloadURL ?? (storageConfig.type == .local ? URL(fileURLWithPath: $0.location).absoluteString : nil) } ?? nil
            }
            await apply(.uploaded(downloadUrl: url(stored.first), audioDownloadUrl: url(stored.dropFirst().first),
                                  downloadUrlExpiry: stored.first?.downloadURLExpiry))
        } catch {
            let kept = files.joined(separator: ", ")
            logger.error("upload failed", metadata: ["error": "\(error)", "kept": "\(kept)"])
            await apply(.failed(message: "\(error); the recording is kept at \(kept)"))
        }
    }

    private static func contentType(of fileName: String) -> String? {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "mp4": "video/mp4"
        case "webm": "video/webm"
        case "m4a": "audio/mp4"
        case "mp3": "audio/mpeg"
        default: nil
        }
    }

    /// Applies a change the session itself decided; one the state machine refuses is logged.
    private func apply(_ event: RecordingEvent) async {
        do {
            try await reporter.apply(event)
        } catch {
            logger.error("recording status not changed", metadata: ["error": "\(error)"])
        }
    }

    /// Marks the recording failed at once (the process is about to exit without finishing) and
    /// returns the exit code for the state it failed in.
    public func abandon(reason: String) async -> Int32 {
        await apply(.failed(message: reason))
        return await reporter.exitCode ?? 4
    }

    // MARK: RecordingControlHandler

    public func status() async -> RecordingStatus {
        await reporter.status
    }

    public func pause() async throws -> RecordingStatus {
        let status = try await reporter.apply(.paused)
        control.setPaused(true)
        return status
    }

    public func resume() async throws -> RecordingStatus {
        let status = try await reporter.apply(.resumed)
        control.setPaused(false)
        return status
    }

    /// Stops the pipeline and answers once the recording has stopped (UPLOADING, or ERRORED).
    public func stop() async throws -> RecordingStatus {
        let current = await reporter.status.status
        guard current == .recording || current == .paused || current == .invoked else {
            throw RecordingTransitionError(from: current, to: .uploading, request: "stop")
        }
        control.requestStop(.apiCall)
        await stopped.wait()
        return await reporter.status
    }
}

/// Something that happens once, and the tasks waiting for it.
private final class Completion: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func complete() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
