import Foundation

/// A change in a recording's life, as the recorder reports it.
public enum RecordingEvent: Sendable, Hashable {
    /// The first media is being written to `outputFileName`.
    case started(outputFileName: String)
    /// Media writing stops; the output gets no gap for the paused span.
    case paused
    case resumed
    /// Recording ended for `reason`; the finished file is handed to storage. `fileSize` and
    /// `recordingDuration` (seconds) describe the finished output when it is already known.
    case stopped(RecordingStopReason, fileSize: Int64?, recordingDuration: Int?)
    /// Storage has the file; the URLs are what it returned (nil for local storage without URLs).
    case uploaded(downloadUrl: String?, audioDownloadUrl: String?, downloadUrlExpiry: Date?)
    /// The recording failed; whatever was written is kept and `message` says where and why.
    case failed(message: String)

    var target: RecordingState {
        switch self {
        case .started, .resumed: .recording
        case .paused: .paused
        case .stopped: .uploading
        case .uploaded: .uploaded
        case .failed: .errored
        }
    }

    var request: String {
        switch self {
        case .started: "start"
        case .paused: "pause"
        case .resumed: "resume"
        case .stopped: "stop"
        case .uploaded: "finish uploading"
        case .failed: "fail"
        }
    }
}

/// The state machine of one recording: applies `RecordingEvent`s to a `RecordingStatus`,
/// rejecting the ones its current state does not allow. A value type without I/O;
/// `RecordingStatusReporter` persists and publishes what it produces.
public struct RecordingLifecycle: Sendable, Hashable {
    public private(set) var status: RecordingStatus
    /// The state a failure happened in (nil when not ERRORED, or restored as ERRORED).
    public private(set) var failedIn: RecordingState?

    /// A new recording in INVOKED.
    public init(recordingId: String, meetingId: String, invokedAt time: Date) {
        status = RecordingStatus(id: recordingId, meetingId: meetingId, invokedTime: time)
    }

    /// Continues from a status read back from a status file.
    public init(restoring status: RecordingStatus) {
        self.status = status
    }

    public var state: RecordingState { status.status }

    /// Applies `event` at `time` and returns the new status; on an illegal transition the
    /// status is unchanged.
    @discardableResult
    public mutating func apply(_ event: RecordingEvent, at time: Date) throws(RecordingTransitionError)
        -> RecordingStatus
    {
        let target = event.target
        guard state.canTransition(to: target) else {
            throw RecordingTransitionError(from: state, to: target, request: event.request)
        }
        switch event {
        case .started(let outputFileName):
            status.startedTime = time
            status.outputFileName = outputFileName
        case .paused, .resumed:
            break
        case .stopped(let reason, let fileSize, let recordingDuration):
            status.stoppedTime = time
            status.stopReason = reason
            status.fileSize = fileSize ?? status.fileSize
            status.recordingDuration = recordingDuration ?? status.recordingDuration
        case .uploaded(let downloadUrl, let audioDownloadUrl, let downloadUrlExpiry):
            status.downloadUrl = downloadUrl
            status.audioDownloadUrl = audioDownloadUrl
            status.downloadUrlExpiry = downloadUrlExpiry
        case .failed(let message):
            // A failure after a regular stop (e.g. during upload) keeps the stop's reason and time.
            if status.stoppedTime == nil {
                status.stoppedTime = time
                status.stopReason = .internalError
            }
            status.errorMessage = message
        }
        if target == .errored { failedIn = state }
        status.status = target
        return status
    }

    /// The exit code SPEC.md gives a process whose recording ended here; nil until a final state.
    /// 0 delivered; 3 failed before recording anything (could not join); 5 failed while
    /// uploading (the file stays on local disk); 4 any other failure.
    public var exitCode: Int32? {
        switch state {
        case .uploaded: 0
        case .errored:
            switch failedIn {
            case .invoked: 3
            case .uploading: 5
            default: 4
            }
        case .invoked, .recording, .paused, .uploading: nil
        }
    }
}
