import ArgumentParser
import Foundation
import JobConfig
import MediaEncode
import Recorder
import RTP

@main
struct Tessera: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Records a WebRTC meeting, or replays RTP dumps, into one composite file.",
        subcommands: [ReplayCommand.self, ProbeCommand.self, ConfigCommand.self, SynthCommand.self]
    )

    /// Runs the chosen command and exits with SPEC.md's codes instead of ArgumentParser's.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as JobConfigError {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            Foundation.exit(ExitCode.badConfig.rawValue)
        } catch let error as DumpError {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            Foundation.exit(ExitCode.badConfig.rawValue)
        } catch let error as ReplayError {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            Foundation.exit(ExitCode.badConfig.rawValue)
        } catch let error as MediaEncodeError {
            FileHandle.standardError.write(Data("tessera: \(error)\n".utf8))
            switch error {
            case .invalidSetting, .unwritableOutput: Foundation.exit(ExitCode.badConfig.rawValue)
            default: Foundation.exit(ExitCode.recordingFailed.rawValue)
            }
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
