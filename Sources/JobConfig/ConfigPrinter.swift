import Foundation

/// The merged config as JSON-ish text for `tessera config --print`: every schema field in
/// schema order, secrets as `"***"`, and after each leaf the level that set it, e.g.
///
///     {
///       "recording_id": "rec-1",        # --job job.json
///       "meeting": {
///         "signaling": "janus",         # built-in
///         "pin": null,                  # not set
///         "token": "***",               # env TESSERA_MEETING_TOKEN
///
/// Unknown fields are left out (validation reports them); a value of the wrong kind is shown
/// by its kind only, since it might be a misplaced secret.
enum ConfigPrinter {
    private struct Line {
        let text: String
        let comment: String?
    }

    static func render(_ fields: [String: ConfigNode], schema: ObjectSchema) -> String {
        var lines = [Line(text: "{", comment: nil)]
        appendFields(fields, schema: schema, depth: 1, to: &lines)
        lines.append(Line(text: "}", comment: nil))
        let column = lines.map(\.text.count).max() ?? 0
        return lines.map { line in
            guard let comment = line.comment else { return line.text }
            return line.text.padding(toLength: column + 2, withPad: " ", startingAt: 0) + "# " + comment
        }.joined(separator: "\n") + "\n"
    }

    private static func appendFields(
        _ fields: [String: ConfigNode], schema: ObjectSchema, depth: Int, to lines: inout [Line]
    ) {
        let indent = String(repeating: "  ", count: depth)
        for (index, field) in schema.fields.enumerated() {
            let comma = index == schema.fields.count - 1 ? "" : ","
            let key = indent + JSONValue.quoted(field.name) + ": "
            switch (field.node, fields[field.name]) {
            case (_, nil):
                lines.append(Line(text: key + "null" + comma, comment: "not set"))
            case (.leaf(let leaf), .leaf(let value, let level)?):
                let shown = leaf.isSecret ? JSONValue.quoted(Secret.mask)
                    : leaf.matchesType(value) ? value.literal : "<\(value.kindName)>"
                lines.append(Line(text: key + shown + comma, comment: level.description))
            case (.object(let child), .object(let children)?):
                lines.append(Line(text: key + "{", comment: nil))
                appendFields(children, schema: child, depth: depth + 1, to: &lines)
                lines.append(Line(text: indent + "}" + comma, comment: nil))
            case (_, let node?):
                lines.append(Line(text: key + "<\(node.json.kindName)>" + comma, comment: node.strongestLevel.description))
            }
        }
    }
}
