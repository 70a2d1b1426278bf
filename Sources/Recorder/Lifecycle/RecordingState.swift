/// Where a recording is in its life, as the status webhook and the status file name it
/// (RealtimeKit's values):
///
///     INVOKED -> RECORDING <-> PAUSED -> UPLOADING -> UPLOADED
///        \__________\____________\__________\--------> ERRORED
///
/// UPLOADED and ERRORED are final: a delivered recording does not turn into a failed one, and
/// a failed one is not revived.
public enum RecordingState: String, Sendable, Hashable, Codable, CaseIterable {
    case invoked = "INVOKED"
    case recording = "RECORDING"
    case paused = "PAUSED"
    case uploading = "UPLOADING"
    case uploaded = "UPLOADED"
    case errored = "ERRORED"

    public var isFinal: Bool { self == .uploaded || self == .errored }

    public func canTransition(to next: RecordingState) -> Bool {
        switch (self, next) {
        case (.invoked, .recording),
            (.recording, .paused), (.paused, .recording),
            (.recording, .uploading), (.paused, .uploading),
            (.uploading, .uploaded):
            true
        case (_, .errored):
            !isFinal
        default:
            false
        }
    }
}

/// Why a recording stopped (`stopReason` in the status).
public enum RecordingStopReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The control endpoint's `POST /stop`.
    case apiCall = "API_CALL"
    /// `max_seconds` of the job config ran out.
    case maxSeconds = "MAX_SECONDS"
    /// Nobody but the bot was in the meeting for `empty_meeting_timeout_seconds`.
    case allParticipantsLeft = "ALL_PARTICIPANTS_LEFT"
    /// SIGTERM or SIGINT.
    case signal = "SIGNAL"
    /// The recorder failed; `errorMessage` says how.
    case internalError = "INTERNAL_ERROR"
    /// The meeting server closed the meeting.
    case meetingEnded = "MEETING_ENDED"
}

/// A change that the state machine does not allow from the current state.
public struct RecordingTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let from: RecordingState
    public let to: RecordingState
    /// What was asked for, e.g. "pause".
    public let request: String

    public init(from: RecordingState, to: RecordingState, request: String) {
        self.from = from
        self.to = to
        self.request = request
    }

    public var description: String {
        "cannot \(request) a recording that is \(from.rawValue) (\(from.rawValue) -> \(to.rawValue) is not allowed)"
    }
}
