import Foundation

/// A config file given to `--defaults`, `--meeting` or `--job`. All three have the shape of a
/// whole job config (a meeting file usually sets only `meeting`, an organisation's defaults
/// file `video_config`, `storage_config` and `webhook`).
public enum ConfigDocument: Sendable, Hashable {
    case file(path: String)
    /// JSON text that did not come from a file (an API request, a test).
    case text(name: String, json: String)

    var name: String {
        switch self {
        case .file(let path): path
        case .text(let name, _): name
        }
    }
}

/// Everything a job config is made of, lowest precedence first.
public struct ConfigSources: Sendable {
    public var defaults: ConfigDocument?
    public var meeting: ConfigDocument?
    public var job: ConfigDocument?
    /// Usually the process environment; only the `TESSERA_*` secret variables are read
    /// (see `JobConfigLoader.secretEnvironmentVariables`).
    public var environment: [String: String]
    /// Command-line settings as (field path, text) pairs, e.g. ("video_config.width", "1920"),
    /// typed by the field they name; a later pair for the same field wins.
    public var flags: [(path: String, value: String)]

    public init(
        defaults: ConfigDocument? = nil, meeting: ConfigDocument? = nil, job: ConfigDocument? = nil,
        environment: [String: String] = [:], flags: [(path: String, value: String)] = []
    ) {
        self.defaults = defaults
        self.meeting = meeting
        self.job = job
        self.environment = environment
        self.flags = flags
    }
}

/// The outcome of merging the config levels: the merged tree with provenance, every problem
/// found, and the typed config when there were none. Its description is the masked printable
/// view, so printing or dumping it shows no secret.
public struct ResolvedJobConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let tree: ConfigNode
    public let issues: [ConfigIssue]
    public let config: JobConfig?

    /// The level that set the field at a dotted path such as `video_config.layout.type`,
    /// or nil when nothing set it.
    public func level(at path: String) -> ConfigLevel? {
        tree.level(at: path)
    }

    public var description: String { printable() }
    public var debugDescription: String { printable() }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// The typed config, or every problem found.
    public func validConfig() throws(JobConfigError) -> JobConfig {
        guard let config else { throw JobConfigError(issues: issues) }
        return config
    }

    /// The merged config with secrets masked and each field's level (`tessera config --print`).
    public func printable() -> String {
        guard case .object(let fields) = tree else { return "{}\n" }
        return ConfigPrinter.render(fields, schema: JobSchema.root)
    }
}

/// Builds a job config from its levels. Precedence, highest first:
/// flags > `TESSERA_*` environment > `--job` > `--meeting` > `--defaults` > built-in defaults,
/// merged field by field (see `ConfigNode` for how `null` is treated).
///
/// Environment variables supply secrets only, and only into a section that some level
/// already has (a `TESSERA_WEBHOOK_SECRET` in the environment does not switch webhooks on).
/// They sit above the files so that a secret kept out of job files wins over a placeholder,
/// and below flags so that a one-off command line still wins.
public enum JobConfigLoader {
    /// Each `TESSERA_*` variable and the secret field it supplies.
    public static let secretEnvironmentVariables: [(variable: String, field: String)] =
        JobSchema.leaves.compactMap { field in field.leaf.environmentVariable.map { ($0, field.path) } }

    /// Every field a flag can set, with what it accepts, for `--help`, e.g.
    /// ("video_config.width", "an even integer in 16...1920; default 1280").
    public static let fieldHelp: [(path: String, help: String)] = JobSchema.leaves.map { field in
        var help = field.leaf.expectation
        if let value = field.leaf.defaultValue([:]) { help += "; default \(value.literal)" }
        if let variable = field.leaf.environmentVariable { help += "; secret, or from \(variable)" }
        return (field.path, help)
    }

    public static func load(
        _ sources: ConfigSources, makeRecordingID: () -> String = { UUID().uuidString.lowercased() }
    ) throws(JobConfigError) -> JobConfig {
        try resolve(sources, makeRecordingID: makeRecordingID).validConfig()
    }

    public static func resolve(
        _ sources: ConfigSources, makeRecordingID: () -> String = { UUID().uuidString.lowercased() }
    ) -> ResolvedJobConfig {
        var fields: [String: ConfigNode] = [:]
        var documentIssues: [ConfigIssue] = []
        var unknownFieldIssues: [ConfigIssue] = []
        let documents: [(ConfigDocument?, (String) -> ConfigLevel)] = [
            (sources.defaults, ConfigLevel.defaults), (sources.meeting, ConfigLevel.meeting),
            (sources.job, ConfigLevel.job),
        ]
        for case let (document?, makeLevel) in documents {
            let level = makeLevel(document.name)
            switch parse(document, level: level) {
            case .success(let object):
                unknownFieldIssues += ConfigValidation.unknownFields(in: object, schema: JobSchema.root, level: level)
                fields = ConfigNode.merging(object, into: fields, from: level)
            case .failure(let issue): documentIssues.append(issue)
            }
        }
        // Unreadable files would make every later message a guess; report only them.
        guard documentIssues.isEmpty else {
            return ResolvedJobConfig(tree: .object(fields), issues: documentIssues, config: nil)
        }
        for flag in sources.flags {
            let document = flagDocument(flag)
            unknownFieldIssues += ConfigValidation.unknownFields(in: document, schema: JobSchema.root, level: .flag)
            fields = ConfigNode.merging(document, into: fields, from: .flag)
        }
        fields = JobSchema.root.fillingDefaults(fields)
        for (variable, path) in secretEnvironmentVariables {
            if let value = sources.environment[variable], !value.isEmpty {
                let names = path.split(separator: ".").map(String.init)
                fields = settingSecret(.string(value), at: names[...], in: fields, from: .environment(variable: variable))
            }
        }
        if fields["recording_id"] == nil {
            fields["recording_id"] = .leaf(.string(makeRecordingID()), .generated)
        }
        let tree = ConfigNode.object(fields)
        var issues = unknownFieldIssues + ConfigValidation.issues(in: fields, schema: JobSchema.root)
        var config: JobConfig?
        if issues.isEmpty {
            do {
                config = try JSONDecoder().decode(JobConfig.self, from: JSONEncoder().encode(tree.json))
            } catch {
                // The schema and the Codable types disagree: a defect here, not in the user's config.
                issues.append(ConfigIssue(path: "", message: "internal error: the validated config does not decode: \(error)"))
            }
        }
        return ResolvedJobConfig(tree: tree, issues: issues, config: config)
    }

    private static func parse(_ document: ConfigDocument, level: ConfigLevel) -> Result<[String: JSONValue], ConfigIssue> {
        let data: Data
        switch document {
        case .file(let path):
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                return .failure(.unreadable(level: level, reason: error.localizedDescription))
            }
        case .text(_, let json):
            data = Data(json.utf8)
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            return .failure(.notJSON(level: level, reason: error.reason))
        }
        guard case .object(let object) = value else {
            return .failure(.notAnObject(level: level, found: value))
        }
        return .success(object)
    }

    /// A flag as a one-field document, its text typed by the field it names.
    private static func flagDocument(_ flag: (path: String, value: String)) -> [String: JSONValue] {
        let names = flag.path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var schema: SchemaNode? = .object(JobSchema.root)
        for name in names {
            guard case .object(let object)? = schema else { schema = nil; break }
            schema = object.field(name)
        }
        let value: JSONValue = if case .leaf(let leaf)? = schema { leaf.value(fromFlag: flag.value) } else { .string(flag.value) }
        let nested = names.reversed().dropFirst().reduce(JSONValue.object([names.last ?? "": value])) { inner, name in
            .object([name: inner])
        }
        guard case .object(let document) = nested else { return [:] }
        return document
    }

    /// `fields` with the leaf at `path` set from `level`, unless its section is absent or a
    /// higher level already set it.
    private static func settingSecret(
        _ value: JSONValue, at path: ArraySlice<String>, in fields: [String: ConfigNode], from level: ConfigLevel
    ) -> [String: ConfigNode] {
        guard let name = path.first else { return fields }
        var updated = fields
        if path.count == 1 {
            if let existing = fields[name], existing.strongestLevel > level { return fields }
            updated[name] = .leaf(value, level)
        } else if case .object(let children)? = fields[name] {
            updated[name] = .object(settingSecret(value, at: path.dropFirst(), in: children, from: level))
        }
        return updated
    }
}
