import ArgumentParser

/// The exit codes of SPEC.md, which orchestrators act on.
extension ExitCode {
    /// Recorded and delivered.
    static let recorded = ExitCode(0)
    /// Bad config or arguments; nothing was joined.
    static let badConfig = ExitCode(2)
    /// Could not join the meeting.
    static let joinFailed = ExitCode(3)
    /// Recording failed; what was written is kept and named.
    static let recordingFailed = ExitCode(4)
    /// Upload failed; the file stays on local disk.
    static let uploadFailed = ExitCode(5)
}
