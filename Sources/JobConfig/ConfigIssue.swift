/// One problem in the job config. The message names the field path, what was found, what is
/// allowed, and which level set the value, e.g.
/// `video_config.width: got 1921; expected an even integer in 16...1920 (set by --job job.json)`.
/// Messages never contain the value of a secret field.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dotted field path, or the level's name for a problem with a whole document.
    public let path: String
    public let message: String

    public var description: String { message }

    static func invalidValue(
        path: String, found: JSONValue, expected: String, isSecret: Bool, level: ConfigLevel
    ) -> ConfigIssue {
        let shown = isSecret ? found.kindName : found.literal
        return ConfigIssue(path: path, message: "\(path): got \(shown); expected \(expected) (set by \(level))")
    }

    static func unknownField(path: String, known: [String], level: ConfigLevel) -> ConfigIssue {
        ConfigIssue(
            path: path,
            message: "\(path): unknown field; expected one of \(known.joined(separator: ", ")) (set by \(level))"
        )
    }

    static func missing(path: String, expected: String, reason: String) -> ConfigIssue {
        ConfigIssue(path: path, message: "\(path): missing; expected \(expected) (\(reason))")
    }

    static func unreadable(level: ConfigLevel, reason: String) -> ConfigIssue {
        ConfigIssue(path: level.description, message: "\(level): cannot read the file: \(reason)")
    }

    static func notJSON(level: ConfigLevel, reason: String) -> ConfigIssue {
        ConfigIssue(path: level.description, message: "\(level): not valid JSON: \(reason)")
    }

    static func notAnObject(level: ConfigLevel, found: JSONValue) -> ConfigIssue {
        ConfigIssue(
            path: level.description,
            message: "\(level): got \(found.kindName); expected a JSON object with the job config fields"
        )
    }
}

/// All the problems found in a job config; the process exits with code 2 on it.
public struct JobConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public let issues: [ConfigIssue]

    public var description: String {
        issues.map(\.message).joined(separator: "\n")
    }
}
