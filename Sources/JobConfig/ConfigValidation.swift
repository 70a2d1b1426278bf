/// Checks the config against the schema and collects every problem (not just the first).
enum ConfigValidation {
    /// Fields the schema does not know, in one level's document. Checked before merging, so
    /// that a misspelt field is reported even when it is empty or null and sets nothing.
    static func unknownFields(
        in document: [String: JSONValue], schema: ObjectSchema, level: ConfigLevel, prefix: String = ""
    ) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for name in document.keys.sorted() {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            switch (schema.field(name), document[name]) {
            case (nil, _):
                issues.append(.unknownField(path: path, known: schema.fieldNames, level: level))
            case (.object(let child)?, .object(let children)?):
                issues += unknownFields(in: children, schema: child, level: level, prefix: path)
            default:
                break
            }
        }
        return issues
    }

    /// Wrong JSON types, values out of range or not among the allowed ones, and missing
    /// required fields (some depend on other fields, such as the storage type) in the merged
    /// config. Unknown fields are ignored here; `unknownFields` reported them.
    static func issues(in fields: [String: ConfigNode], schema: ObjectSchema, prefix: String = "") -> [ConfigIssue] {
        func path(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        var issues: [ConfigIssue] = []
        let requirements = schema.requirements(fields.leafValues)
        for field in schema.fields {
            guard let node = fields[field.name] else {
                if let requirement = requirements.first(where: { $0.field == field.name }) {
                    issues.append(.missing(path: path(field.name), expected: field.node.expectation, reason: requirement.reason))
                }
                continue
            }
            switch (field.node, node) {
            case (.leaf(let leaf), .leaf(let value, let level)):
                if !leaf.isValid(value) {
                    issues.append(.invalidValue(
                        path: path(field.name), found: value, expected: leaf.expectation,
                        isSecret: leaf.isSecret, level: level
                    ))
                }
            case (.leaf(let leaf), .object):
                issues.append(.invalidValue(
                    path: path(field.name), found: node.json, expected: leaf.expectation,
                    isSecret: leaf.isSecret, level: node.strongestLevel
                ))
            case (.object(let child), .leaf(let value, let level)):
                // A secret put where its section belongs ("webhook": "whsec_...") stays hidden.
                issues.append(.invalidValue(
                    path: path(field.name), found: value, expected: field.node.expectation,
                    isSecret: child.containsSecret, level: level
                ))
            case (.object(let child), .object(let children)):
                issues += Self.issues(in: children, schema: child, prefix: path(field.name))
            }
        }
        return issues
    }
}

extension ObjectSchema {
    var containsSecret: Bool {
        fields.contains { field in
            switch field.node {
            case .leaf(let leaf): leaf.isSecret
            case .object(let child): child.containsSecret
            }
        }
    }

    /// `fields` with the built-in defaults added where no level set a value. Optional objects
    /// get their defaults only when present; required objects are created.
    func fillingDefaults(_ fields: [String: ConfigNode]) -> [String: ConfigNode] {
        var filled = fields
        let siblings = fields.leafValues
        for field in self.fields {
            switch (field.node, fields[field.name]) {
            case (.leaf(let leaf), nil):
                if let value = leaf.defaultValue(siblings) { filled[field.name] = .leaf(value, .builtIn) }
            case (.object(let child), .object(let children)?):
                filled[field.name] = .object(child.fillingDefaults(children))
            case (.object(let child), nil) where !child.isOptional:
                filled[field.name] = .object(child.fillingDefaults([:]))
            default:
                break
            }
        }
        return filled
    }
}
