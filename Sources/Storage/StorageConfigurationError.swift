/// A storage setting that cannot work (bad endpoint URL, malformed connection string, expiry
/// out of range). Names the field; never quotes a credential.
public struct StorageConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "storage setting \(field): \(reason)" }
}
