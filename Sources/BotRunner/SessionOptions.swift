import ArgumentParser
import Foundation
import JobConfig
import Logging
import Recorder

/// Options of the recording's surroundings shared by `record` and `replay`: the control endpoint.
struct SessionOptions: ParsableArguments {
    static let tokenVariable = "TESSERA_CONTROL_TOKEN"

    @Option(help: ArgumentHelp(
        "Serve the control endpoint (status, stop, pause, resume, metrics) on this port; 0 picks a free one. The bearer token comes from \(Self.tokenVariable).",
        valueName: "port"))
    var controlPort: Int?
    @Option(help: "The control endpoint's address.") var controlHost = "127.0.0.1"

    func sessionOptions(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RecordingSession.Options {
        guard let controlPort else { return RecordingSession.Options() }
        guard (0...65535).contains(controlPort) else { throw ValidationError("--control-port \(controlPort): not a port number") }
        guard let token = environment[Self.tokenVariable], token.count >= 16 else {
            throw ValidationError("--control-port needs a bearer token of at least 16 characters in \(Self.tokenVariable)")
        }
        return RecordingSession.Options(
            controlEndpoint: ControlServer.Configuration(host: controlHost, port: controlPort, token: Secret(token)))
    }
}

extension RecordingSession {
    /// Runs the recording with SIGTERM/SIGINT trapped: the first asks the pipeline to finish
    /// (stop reason SIGNAL), a second ends the process at once with ERRORED; the output file,
    /// fragmented as it is written, stays playable.
    func runTrappingSignals(
        logger: Logger, _ pipeline: @escaping @Sendable (RecordingPipelineContext) async throws -> RecordedOutput
    ) async -> RecordingOutcome {
        let trap = SignalTrap { [self] signal, count in
            let name = SignalTrap.name(signal)
            if count < 2 {
                logger.notice("signal received, finishing the recording", metadata: ["signal": "\(name)"])
                control.requestStop(.signal)
            } else {
                logger.warning("second signal received, exiting now", metadata: ["signal": "\(name)"])
                Task {
                    let code = await abandon(reason: "\(name) received twice: ended before the recording was finished")
                    exit(code)
                }
                // Should reporting the failure hang, the process still ends.
                DispatchQueue.global().asyncAfter(deadline: .now() + 3) { _exit(ExitCode.recordingFailed.rawValue) }
            }
        }
        let outcome = await run(pipeline)
        withExtendedLifetime(trap) {}
        return outcome
    }
}

/// Ends a recording command the way SPEC.md's exit codes say: bad input as such (2), anything
/// else with the code of the state the recording ended in, after saying why.
func finish(_ outcome: RecordingOutcome) throws {
    if let error = outcome.pipelineError, isBadInput(error) { throw error }
    if outcome.exitCode != 0 {
        let message = outcome.pipelineError.map { "\($0)" } ?? outcome.status.errorMessage ?? outcome.status.status.rawValue
        FileHandle.standardError.write(Data("tessera: \(message)\n".utf8))
        throw ExitCode(outcome.exitCode)
    }
}

/// Runs CPU-bound work on a thread of its own, off Swift concurrency's small shared pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
