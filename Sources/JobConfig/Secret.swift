/// A credential from the job config (storage keys, webhook secret, meeting token and pin,
/// RTMP URL with its stream key). Printing, string interpolation, `debugPrint` and `dump`
/// all show `***`, so a secret cannot reach a log line or a printed config by accident;
/// code that must use it asks for `exposedValue` by name.
///
/// Encoding writes the real value: that is how a job is handed to another process
/// (for example a recording child of `tessera serve`). Never encode a config for display;
/// use `ResolvedJobConfig.printable()`.
public struct Secret: Sendable, Hashable, Codable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    public static let mask = "***"

    public let exposedValue: String

    public init(_ exposedValue: String) {
        self.exposedValue = exposedValue
    }

    public init(from decoder: any Decoder) throws {
        exposedValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(exposedValue)
    }

    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
