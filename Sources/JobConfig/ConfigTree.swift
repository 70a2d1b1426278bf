/// The merged job config: the JSON tree of all levels, each leaf with the level that set it.
///
/// Merging is field by field: an object in a higher level is merged into the same object of
/// the lower levels, and only leaves replace leaves. `null` in any level means "not set here"
/// (the same as leaving the field out), so a job file that lists every field with `null`
/// placeholders, as SPEC.md's example does, keeps what lower levels set. A lower level's value
/// therefore cannot be cleared from above, only replaced.
indirect enum ConfigNode: Sendable, Hashable {
    case leaf(JSONValue, ConfigLevel)
    case object([String: ConfigNode])

    /// `document`'s fields laid over `fields`, the new leaves attributed to `level`.
    static func merging(
        _ document: [String: JSONValue], into fields: [String: ConfigNode], from level: ConfigLevel
    ) -> [String: ConfigNode] {
        var merged = fields
        for (name, value) in document {
            switch value {
            case .null:
                continue
            case .object(let childDocument):
                var base: [String: ConfigNode] = [:]
                if case .object(let existing)? = merged[name] { base = existing }
                let child = merging(childDocument, into: base, from: level)
                // An object that sets nothing (all null, or empty) leaves the field as it was.
                if !child.isEmpty { merged[name] = .object(child) }
            default:
                merged[name] = .leaf(value, level)
            }
        }
        return merged
    }

    /// The node at a dotted path such as `video_config.layout.type`.
    func node(at path: String) -> ConfigNode? {
        var node = self
        for name in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let fields) = node, let child = fields[String(name)] else { return nil }
            node = child
        }
        return node
    }

    /// The level that set the leaf at `path`, or nil when nothing set it.
    func level(at path: String) -> ConfigLevel? {
        guard case .leaf(_, let level)? = node(at: path) else { return nil }
        return level
    }

    /// The highest level among this node's leaves (an object names its strongest contributor).
    var strongestLevel: ConfigLevel {
        switch self {
        case .leaf(_, let level): level
        case .object(let fields): fields.values.map(\.strongestLevel).max() ?? .builtIn
        }
    }

    var json: JSONValue {
        switch self {
        case .leaf(let value, _): value
        case .object(let fields): .object(fields.mapValues(\.json))
        }
    }
}

extension [String: ConfigNode] {
    /// The scalar values among these fields, for rules that depend on sibling fields.
    var leafValues: [String: JSONValue] {
        compactMapValues { node in
            guard case .leaf(let value, _) = node else { return nil }
            return value
        }
    }
}
