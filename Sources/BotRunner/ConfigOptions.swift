import ArgumentParser
import Foundation
import JobConfig

/// The config-file and field options every recording command shares; merged with SPEC.md's
/// precedence: `--set` flags > `TESSERA_*` secrets > `--job` > `--meeting` > `--defaults` > built-in.
struct ConfigOptions: ParsableArguments {
    @Option(help: "The job config (JSON).") var job: String?
    @Option(help: "Meeting settings (JSON), below the job in precedence.") var meeting: String?
    @Option(help: "Organisation defaults (JSON), the lowest config file.") var defaults: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set one field, highest precedence: PATH=VALUE, e.g. video_config.width=1920 (repeatable).",
        valueName: "path=value"))
    var settings: [String] = []

    func sources(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigSources {
        let flags = try settings.map { setting -> (path: String, value: String) in
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set \(setting): expected PATH=VALUE, e.g. video_config.fps=25")
            }
            return (String(setting[..<equals]), String(setting[setting.index(after: equals)...]))
        }
        return ConfigSources(
            defaults: defaults.map { .file(path: $0) }, meeting: meeting.map { .file(path: $0) },
            job: job.map { .file(path: $0) }, environment: environment, flags: flags)
    }

    /// The merged, validated job config; every problem reported at once.
    func resolve() throws -> JobConfig {
        try JobConfigLoader.load(try sources())
    }
}

/// `tessera config --print`: what a recording would run with, and where each value came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the merged job config (secrets masked) and which level set each field.",
        discussion: "Fields:\n" + JobConfigLoader.fieldHelp.map { "  \($0.path): \($0.help)" }.joined(separator: "\n")
    )

    @OptionGroup var options: ConfigOptions
    @Flag(help: "Print the merged config.") var print = false

    func run() throws {
        let resolved = JobConfigLoader.resolve(try options.sources())
        if print { Swift.print(resolved.printable(), terminator: "") }
        _ = try resolved.validConfig()
    }
}
