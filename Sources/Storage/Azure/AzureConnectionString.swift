import Foundation

/// An Azure Storage account as a connection string describes it:
/// `DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net`,
/// or with an explicit `BlobEndpoint=http://127.0.0.1:10000/account` (emulators, private
/// endpoints). Printing it shows the account name and endpoint, never the key.
public struct AzureAccount: Sendable, Hashable, CustomStringConvertible,
    CustomDebugStringConvertible,
    CustomReflectable
{
    public let name: String
    /// The decoded account key (the HMAC key of Shared Key and SAS signatures).
    let key: Data
    /// The blob service URL without a trailing slash; it may carry a path (emulators put the
    /// account name there).
    public let blobEndpoint: String

    public init(name: String, key: Data, blobEndpoint: String) {
        self.name = name
        self.key = key
        self.blobEndpoint =
            blobEndpoint.hasSuffix("/") ? String(blobEndpoint.dropLast()) : blobEndpoint
    }

    public var description: String { "AzureAccount(\(name), \(blobEndpoint))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "blobEndpoint": blobEndpoint])
    }

    /// Parses a connection string. Errors name the setting at fault and never quote values.
    public init(connectionString: String) throws(StorageConfigurationError) {
        var settings: [String: String] = [:]
        for pair in connectionString.split(separator: ";", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard parts.count == 2, !name.isEmpty else {
                throw StorageConfigurationError(
                    field: "access_key", reason: "connection string has a setting without '='")
            }
            settings[name] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        guard let name = settings["accountname"], !name.isEmpty else {
            throw StorageConfigurationError(
                field: "access_key", reason: "connection string has no AccountName")
        }
        guard let encodedKey = settings["accountkey"], !encodedKey.isEmpty else {
            throw StorageConfigurationError(
                field: "access_key", reason: "connection string has no AccountKey")
        }
        guard let key = Data(base64Encoded: encodedKey) else {
            throw StorageConfigurationError(
                field: "access_key", reason: "AccountKey is not valid base64")
        }
        let endpoint: String
        if let explicit = settings["blobendpoint"], !explicit.isEmpty {
            endpoint = explicit
        } else {
            let scheme = (settings["defaultendpointsprotocol"] ?? "https").lowercased()
            guard scheme == "https" || scheme == "http" else {
                throw StorageConfigurationError(
                    field: "access_key", reason: "DefaultEndpointsProtocol must be https or http")
            }
            let suffix = settings["endpointsuffix"] ?? "core.windows.net"
            endpoint = "\(scheme)://\(name).blob.\(suffix)"
        }
        guard
            endpoint.lowercased().hasPrefix("https://")
                || endpoint.lowercased().hasPrefix("http://")
        else {
            throw StorageConfigurationError(
                field: "access_key", reason: "BlobEndpoint is not an http(s) URL")
        }
        self.init(name: name, key: key, blobEndpoint: endpoint)
    }
}
