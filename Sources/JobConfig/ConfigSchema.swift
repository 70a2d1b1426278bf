import Foundation

/// The shape of the job config: every field's JSON type, allowed values, built-in default,
/// and whether it is a secret. Validation, flag typing, default filling, environment secrets
/// and the printed view all read this one description; the Codable types in JobConfig.swift
/// carry the same field names (a test checks that the two agree).
indirect enum SchemaNode: Sendable {
    case leaf(LeafSchema)
    case object(ObjectSchema)

    /// What a value for this node must be, for messages.
    var expectation: String {
        switch self {
        case .leaf(let leaf): leaf.expectation
        case .object(let object): "an object with fields \(object.fieldNames.joined(separator: ", "))"
        }
    }
}

struct SchemaField: Sendable {
    let name: String
    let node: SchemaNode
}

/// A field that must be present, and why (printed in the message).
struct Requirement: Sendable, Equatable {
    let field: String
    let reason: String
}

struct ObjectSchema: Sendable {
    let fields: [SchemaField]
    /// An optional object is absent unless some level sets one of its fields; its defaults are
    /// filled only when it is present.
    let isOptional: Bool
    /// The fields that must be present, given the values of this object's leaves.
    let requirements: @Sendable ([String: JSONValue]) -> [Requirement]

    init(
        optional: Bool = false, required: [String] = [], _ fields: [SchemaField]
    ) {
        self.init(optional: optional, fields, requirements: { _ in
            required.map { Requirement(field: $0, reason: "required") }
        })
    }

    init(
        optional: Bool, _ fields: [SchemaField],
        requirements: @escaping @Sendable ([String: JSONValue]) -> [Requirement]
    ) {
        self.fields = fields
        self.isOptional = optional
        self.requirements = requirements
    }

    var fieldNames: [String] { fields.map(\.name) }

    func field(_ name: String) -> SchemaNode? {
        fields.first { $0.name == name }?.node
    }
}

struct LeafSchema: Sendable {
    enum ValueType: Sendable {
        case string
        case integer
        case boolean
        case integerOrString
    }

    let valueType: ValueType
    let expectation: String
    /// Called only with a value of the right JSON type.
    let accepts: @Sendable (JSONValue) -> Bool
    /// The built-in default, given the values of the sibling leaves.
    var defaultValue: @Sendable ([String: JSONValue]) -> JSONValue? = { _ in nil }
    var isSecret = false
    /// The `TESSERA_*` variable that may supply this secret.
    var environmentVariable: String?

    func matchesType(_ value: JSONValue) -> Bool {
        switch (valueType, value) {
        case (.string, .string), (.integer, .integer), (.boolean, .bool),
            (.integerOrString, .integer), (.integerOrString, .string):
            true
        default:
            false
        }
    }

    func isValid(_ value: JSONValue) -> Bool {
        matchesType(value) && accepts(value)
    }

    /// A command-line flag's text as the JSON value this field expects; text that does not
    /// parse stays a string so that validation reports it like any other wrong value.
    func value(fromFlag text: String) -> JSONValue {
        switch valueType {
        case .string: .string(text)
        case .integer, .integerOrString: Int(text).map(JSONValue.integer) ?? .string(text)
        case .boolean: ["true": JSONValue.bool(true), "false": .bool(false)][text] ?? .string(text)
        }
    }

    func secret(environmentVariable: String) -> LeafSchema {
        var copy = self
        copy.isSecret = true
        copy.environmentVariable = environmentVariable
        return copy
    }

    func defaulting(to value: JSONValue) -> LeafSchema {
        var copy = self
        copy.defaultValue = { _ in value }
        return copy
    }

    static func integer(_ range: ClosedRange<Int>, even: Bool = false) -> LeafSchema {
        LeafSchema(
            valueType: .integer,
            expectation: "\(even ? "an even integer" : "an integer") in \(range.lowerBound)...\(range.upperBound)",
            accepts: { value in
                guard case .integer(let number) = value else { return false }
                return range.contains(number) && (!even || number % 2 == 0)
            }
        )
    }

    static let boolean = LeafSchema(valueType: .boolean, expectation: "true or false", accepts: { _ in true })

    static func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) -> LeafSchema
    where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        return LeafSchema(
            valueType: .string,
            expectation: "one of \(allowed.map(JSONValue.quoted).joined(separator: ", "))",
            accepts: { value in
                guard case .string(let text) = value else { return false }
                return allowed.contains(text)
            }
        )
    }

    static let text = LeafSchema(
        valueType: .string, expectation: "a non-empty string",
        accepts: { value in value != .string("") }
    )

    /// Text that ends up in file names: no separators, no spaces.
    static func fileNameSafe(maxLength: Int) -> LeafSchema {
        LeafSchema(
            valueType: .string,
            expectation: "1 to \(maxLength) characters from A-Z a-z 0-9 . _ -",
            accepts: { value in
                guard case .string(let text) = value else { return false }
                return (1...maxLength).contains(text.unicodeScalars.count)
                    && text.unicodeScalars.allSatisfy { fileNameCharacters.contains($0) }
            }
        )
    }

    private static let fileNameCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
    )

    /// A URL with one of `schemes`: a host for network schemes, a path for `file`.
    static func url(schemes: [String]) -> LeafSchema {
        let names = schemes.count < 2
            ? schemes.joined()
            : schemes.dropLast().joined(separator: ", ") + " or " + (schemes.last ?? "")
        let shape = schemes.contains("file")
            ? "a URL with scheme \(names) (file with a path, others with a host)"
            : "a URL with scheme \(names) and a host"
        return LeafSchema(
            valueType: .string,
            expectation: shape,
            accepts: { value in
                guard case .string(let text) = value,
                    let components = URLComponents(string: text),
                    let scheme = components.scheme?.lowercased(), schemes.contains(scheme)
                else { return false }
                if scheme == "file" { return !components.path.isEmpty }
                return !(components.host ?? "").isEmpty
            }
        )
    }

    static let color = LeafSchema(
        valueType: .string, expectation: "a colour \"#rrggbb\"",
        accepts: { value in
            guard case .string(let text) = value else { return false }
            let scalars = Array(text.unicodeScalars)
            return scalars.count == 7 && scalars[0] == "#"
                && scalars.dropFirst().allSatisfy { CharacterSet(charactersIn: "0123456789abcdefABCDEF").contains($0) }
        }
    )

    static let room = LeafSchema(
        valueType: .integerOrString, expectation: "a non-negative integer or a non-empty string",
        accepts: { value in
            switch value {
            case .integer(let number): number >= 0
            case .string(let name): !name.isEmpty
            default: false
            }
        }
    )
}

extension SchemaField {
    static func leaf(_ name: String, _ leaf: LeafSchema) -> SchemaField {
        SchemaField(name: name, node: .leaf(leaf))
    }

    static func object(_ name: String, _ object: ObjectSchema) -> SchemaField {
        SchemaField(name: name, node: .object(object))
    }
}

enum JobSchema {
    static let root = ObjectSchema([
        .leaf("recording_id", .fileNameSafe(maxLength: 128)),
        .object("meeting", meeting),
        .leaf("file_name_prefix", .fileNameSafe(maxLength: 100)),
        .leaf("max_seconds", LeafSchema.integer(1...86_400).defaulting(to: .integer(86_400))),
        .leaf("empty_meeting_timeout_seconds", LeafSchema.integer(1...86_400).defaulting(to: .integer(60))),
        .object("video_config", video),
        .object("audio_config", audio),
        .object("storage_config", storage),
        .object("webhook", webhook),
        .object("interactive_config", ObjectSchema(optional: true, required: ["type"], [
            .leaf("type", .choice(InteractiveType.self)),
        ])),
        .object("rtmp_out_config", ObjectSchema(optional: true, required: ["rtmp_url"], [
            .leaf("rtmp_url", LeafSchema.url(schemes: ["rtmp", "rtmps"]).secret(environmentVariable: "TESSERA_RTMP_URL")),
        ])),
    ])

    static let meeting = ObjectSchema(optional: true, required: ["url", "room"], [
        .leaf("signaling", LeafSchema.choice(Signaling.self).defaulting(to: .string(Signaling.janus.rawValue))),
        .leaf("url", .url(schemes: ["ws", "wss"])),
        .leaf("room", .room),
        .leaf("pin", LeafSchema.text.secret(environmentVariable: "TESSERA_MEETING_PIN")),
        .leaf("token", LeafSchema.text.secret(environmentVariable: "TESSERA_MEETING_TOKEN")),
        .leaf("display_name", LeafSchema.text.defaulting(to: .string("recorder"))),
    ])

    static let video = ObjectSchema([
        .leaf("codec", LeafSchema.choice(VideoCodec.self).defaulting(to: .string(VideoCodec.h264.rawValue))),
        .leaf("width", LeafSchema.integer(16...1920, even: true).defaulting(to: .integer(1280))),
        .leaf("height", LeafSchema.integer(16...1920, even: true).defaulting(to: .integer(720))),
        .leaf("fps", LeafSchema.integer(1...60).defaulting(to: .integer(30))),
        .leaf("bitrate_kbps", .integer(100...50_000)),
        .object("layout", ObjectSchema([
            .leaf("type", LeafSchema.choice(LayoutType.self).defaulting(to: .string(LayoutType.grid.rawValue))),
            .leaf("labels", LeafSchema.boolean.defaulting(to: .bool(true))),
            .leaf("background", LeafSchema.color.defaulting(to: .string("#101014"))),
        ])),
        .object("watermark", ObjectSchema(optional: true, required: ["url"], [
            .leaf("url", .url(schemes: ["file", "http", "https"])),
            .object("size", ObjectSchema(optional: true, required: ["width", "height"], [
                .leaf("width", .integer(1...1920)),
                .leaf("height", .integer(1...1920)),
            ])),
            .leaf("position", LeafSchema.choice(WatermarkPosition.self)
                .defaulting(to: .string(WatermarkPosition.leftTop.rawValue))),
        ])),
        .leaf("export_file", LeafSchema.boolean.defaulting(to: .bool(true))),
    ])

    static let audio = ObjectSchema([
        .leaf("codec", LeafSchema.choice(AudioCodec.self).defaulting(to: .string(AudioCodec.aac.rawValue))),
        .leaf("channel", LeafSchema.choice(AudioChannel.self).defaulting(to: .string(AudioChannel.stereo.rawValue))),
        .leaf("export_file", LeafSchema.boolean.defaulting(to: .bool(false))),
    ])

    static let storage = ObjectSchema(
        optional: true,
        [
            .leaf("type", .choice(StorageType.self)),
            .leaf("bucket", .text),
            .leaf("region", .text),
            .leaf("access_key", LeafSchema.text.secret(environmentVariable: "TESSERA_STORAGE_ACCESS_KEY")),
            .leaf("secret", LeafSchema.text.secret(environmentVariable: "TESSERA_STORAGE_SECRET")),
            .leaf("path", .text),
            .leaf("endpoint", .url(schemes: ["http", "https"])),
            .leaf("host", .text),
            .leaf("port", sftpPort),
            .leaf("username", .text),
            .leaf("password", LeafSchema.text.secret(environmentVariable: "TESSERA_STORAGE_PASSWORD")),
            .leaf("private_key", LeafSchema.text.secret(environmentVariable: "TESSERA_STORAGE_PRIVATE_KEY")),
            .leaf("auth_method", .choice(SFTPAuthMethod.self)),
        ],
        requirements: storageRequirements
    )

    /// 22 for sftp, the only type that uses a port.
    private static let sftpPort: LeafSchema = {
        var port = LeafSchema.integer(1...65_535)
        port.defaultValue = { siblings in
            siblings["type"] == .string(StorageType.sftp.rawValue) ? .integer(22) : nil
        }
        return port
    }()

    /// See the table on `StorageConfig`.
    private static func storageRequirements(_ values: [String: JSONValue]) -> [Requirement] {
        guard let typeValue = values["type"] else {
            return [Requirement(field: "type", reason: "required")]
        }
        guard case .string(let rawType) = typeValue, let type = StorageType(rawValue: rawType) else {
            return []  // the type field's own message says what is wrong
        }
        let forType = "required for storage type \(rawType)"
        let fields: [String] = switch type {
        case .aws, .digitalocean: ["bucket", "region", "access_key", "secret"]
        case .cloudflare: ["bucket", "endpoint", "access_key", "secret"]
        case .gcs: ["bucket", "access_key", "secret"]
        case .azure: ["bucket", "access_key"]
        case .sftp: ["host", "username", "auth_method"]
        case .local: ["path"]
        }
        var requirements = fields.map { Requirement(field: $0, reason: forType) }
        if type == .sftp, case .string(let rawMethod)? = values["auth_method"],
            let method = SFTPAuthMethod(rawValue: rawMethod)
        {
            let credential = method == .password ? "password" : "private_key"
            requirements.append(Requirement(field: credential, reason: "required for auth_method \(rawMethod)"))
        }
        return requirements
    }

    static let webhook = ObjectSchema(optional: true, required: ["url"], [
        .leaf("url", .url(schemes: ["http", "https"])),
        .leaf("secret", LeafSchema.text.secret(environmentVariable: "TESSERA_WEBHOOK_SECRET")),
    ])

    /// Every leaf field with its path, in schema order.
    static let leaves: [(path: String, leaf: LeafSchema)] = {
        var result: [(String, LeafSchema)] = []
        func visit(_ object: ObjectSchema, _ prefix: String) {
            for field in object.fields {
                let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                switch field.node {
                case .leaf(let leaf): result.append((path, leaf))
                case .object(let child): visit(child, path)
                }
            }
        }
        visit(root, "")
        return result
    }()
}
