import ArgumentParser
import Foundation
import JobConfig
import MediaEncode
import Recorder
import RTP

@main
struct Tessera: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Records a WebRTC meeting, or replays RTP dumps, into one composite file.",
        subcommands: [RecordCommand.self, ReplayCommand.self, ProbeCommand.self, ConfigCommand.self, SynthCommand.self]
    )

    /// Runs the chosen command and exits with SPEC.md's codes instead of ArgumentParser's.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error where isBadInput(error) {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            Foundation.exit(ExitCode.badConfig.rawValue)
        } catch let error as MediaEncodeError {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            Foundation.exit(ExitCode.recordingFailed.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            Foundation.exit(code == .validationFailure ? ExitCode.badConfig.rawValue : ExitCode.recordingFailed.rawValue)
        }
    }
}

/// Errors that mean the command was given something unusable (config, arguments, input files):
/// exit code 2, whenever they surface.
func isBadInput(_ error: any Error) -> Bool {
    switch error {
    case is JobConfigError, is DumpError, is ReplayError: true
    case MediaEncodeError.invalidSetting, MediaEncodeError.unwritableOutput: true
    default: false
    }
}
