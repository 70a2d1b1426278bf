/// The attributes RFC 8859 allows at both session and media level. A media-level value
/// overrides the session-level one; `SessionDescription`'s accessors resolve them.
/// Parsing and serializing them is written once, here, for both levels.
protocol SharedAttributes {
    var direction: Direction? { get set }
    var iceUfrag: String? { get set }
    var icePassword: String? { get set }
    var iceOptions: [String] { get set }
    var fingerprints: [Fingerprint] { get set }
    var setup: SetupRole? { get set }
    var extensionMaps: [ExtensionMap] { get set }
}

extension SharedAttributes {
    /// Stores the attribute if it is a shared one with a valid value; returns whether it did.
    mutating func takeSharedAttribute(name: String, value: Substring?) -> Bool {
        if value == nil, let direction = Direction(rawValue: name) {
            self.direction = direction
            return true
        }
        guard let value else { return false }
        switch name {
        case "ice-ufrag": iceUfrag = String(value)
        case "ice-pwd": icePassword = String(value)
        case "ice-options": iceOptions += SDPText.fields(value).map(String.init)
        case "fingerprint":
            guard let fingerprint = Fingerprint(attributeValue: value) else { return false }
            fingerprints.append(fingerprint)
        case "setup":
            guard let role = SetupRole(rawValue: String(SDPText.trimmed(value))) else { return false }
            setup = role
        case "extmap":
            guard let map = ExtensionMap(attributeValue: value) else { return false }
            extensionMaps.append(map)
        default: return false
        }
        return true
    }

    /// The shared attributes in canonical order.
    var sharedAttributeLines: [String] {
        var lines: [String] = []
        if let direction { lines.append("a=" + direction.rawValue) }
        if let iceUfrag { lines.append("a=ice-ufrag:" + iceUfrag) }
        if let icePassword { lines.append("a=ice-pwd:" + icePassword) }
        if !iceOptions.isEmpty { lines.append("a=ice-options:" + iceOptions.joined(separator: " ")) }
        lines += fingerprints.map { "a=fingerprint:" + $0.attributeValue }
        if let setup { lines.append("a=setup:" + setup.rawValue) }
        lines += extensionMaps.map { "a=extmap:" + $0.attributeValue }
        return lines
    }
}
