/// Where finished files are uploaded. The field names follow RealtimeKit's `storage_config`;
/// which fields a type needs (the loader enforces this; fields a type does not use are ignored,
/// so an organisation default for one type does not break a job that picks another):
///
/// | type           | required                                      | optional                  |
/// |----------------|-----------------------------------------------|---------------------------|
/// | `aws`          | bucket, region, access_key, secret            | path, endpoint            |
/// | `digitalocean` | bucket, region, access_key, secret            | path, endpoint            |
/// | `cloudflare`   | bucket, endpoint (`https://<account>.r2.cloudflarestorage.com`), access_key, secret | path, region |
/// | `gcs`          | bucket, access_key, secret (HMAC key)         | path, region, endpoint    |
/// | `azure`        | bucket (the container), access_key (connection string) | path             |
/// | `sftp`         | host, username, auth_method, and password (`PASSWORD`) or private_key (`KEY`) | port (22), path |
/// | `local`        | path (a directory)                            |                           |
///
/// `path` is the key prefix (folder) inside the bucket or on the server.
public struct StorageConfig: Sendable, Hashable, Codable {
    public var type: StorageType
    public var bucket: String?
    public var region: String?
    public var accessKey: Secret?
    public var secret: Secret?
    public var path: String?
    /// An `http(s)` URL overriding the service's default endpoint.
    public var endpoint: String?
    public var host: String?
    public var port: Int?
    public var username: String?
    public var password: Secret?
    /// An SSH private key in OpenSSH or PEM form.
    public var privateKey: Secret?
    public var authMethod: SFTPAuthMethod?

    public init(
        type: StorageType, bucket: String? = nil, region: String? = nil, accessKey: Secret? = nil,
        secret: Secret? = nil, path: String? = nil, endpoint: String? = nil, host: String? = nil,
        port: Int? = nil, username: String? = nil, password: Secret? = nil,
        privateKey: Secret? = nil, authMethod: SFTPAuthMethod? = nil
    ) {
        self.type = type
        self.bucket = bucket
        self.region = region
        self.accessKey = accessKey
        self.secret = secret
        self.path = path
        self.endpoint = endpoint
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.privateKey = privateKey
        self.authMethod = authMethod
    }

    enum CodingKeys: String, CodingKey {
        case type, bucket, region
        case accessKey = "access_key"
        case secret, path, endpoint, host, port, username, password
        case privateKey = "private_key"
        case authMethod = "auth_method"
    }
}

public enum StorageType: String, Sendable, Hashable, Codable, CaseIterable {
    case aws
    case digitalocean
    /// Cloudflare R2.
    case cloudflare
    /// Google Cloud Storage through its S3-interoperable XML API.
    case gcs
    case azure
    case sftp
    case local
}

public enum SFTPAuthMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case password = "PASSWORD"
    case key = "KEY"
}
