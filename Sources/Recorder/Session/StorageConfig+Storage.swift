import JobConfig
import Logging
import Storage

extension StorageConfig {
    /// The backend this config names. The loader has checked that the type's required fields
    /// are present; what only the backend can judge (an endpoint URL, a connection string) is
    /// checked here.
    public func makeStorage(logger: Logger) throws(StorageConfigurationError) -> any Storage {
        func required<T>(_ value: T?, _ field: String) throws(StorageConfigurationError) -> T {
            guard let value else { throw StorageConfigurationError(field: "storage_config.\(field)", reason: "required for \(type.rawValue)") }
            return value
        }
        switch type {
        case .local:
            return LocalStorage(directory: try required(path, "path"))
        case .azure:
            let account = try AzureAccount(connectionString: try required(accessKey, "access_key").exposedValue)
            return AzureBlobStorage(account: account, container: try required(bucket, "bucket"),
                                    transport: AsyncHTTPTransport(), logger: logger)
        case .aws, .digitalocean, .cloudflare, .gcs:
            let endpoint: S3Endpoint
            switch (type, self.endpoint) {
            case (_, let url?): endpoint = try S3Endpoint(url: url, region: region ?? "auto")
            case (.aws, nil): endpoint = .aws(region: try required(region, "region"))
            case (.digitalocean, nil): endpoint = .digitalOceanSpaces(region: try required(region, "region"))
            case (.gcs, nil): endpoint = .googleCloudStorage(region: region ?? "auto")
            default: throw StorageConfigurationError(field: "storage_config.endpoint", reason: "required for \(type.rawValue)")
            }
            let credentials = S3Credentials(accessKeyID: try required(accessKey, "access_key").exposedValue,
                                            secretAccessKey: try required(secret, "secret").exposedValue)
            return S3Storage(endpoint: endpoint, bucket: try required(bucket, "bucket"), credentials: credentials,
                             transport: AsyncHTTPTransport(), logger: logger)
        case .sftp:
            let authentication: SFTPStorage.Authentication = switch authMethod ?? .password {
            case .password: .password(try required(password, "password").exposedValue)
            case .key: .privateKey(try required(privateKey, "private_key").exposedValue)
            }
            return try SFTPStorage(host: try required(host, "host"), port: port ?? 22, username: try required(username, "username"),
                                   authentication: authentication, logger: logger)
        }
    }

    /// The key a finished file is stored under: the configured folder (`path`) and the file's
    /// name; the local backend's `path` is its directory, so there the name alone. On an SFTP
    /// server an absolute folder stays absolute (else it is below the login folder).
    public func key(forFileNamed name: String) -> String {
        switch type {
        case .local: name
        case .sftp: (path?.hasPrefix("/") == true ? "/" : "") + objectKey(prefix: path, fileName: name)
        case .aws, .digitalocean, .cloudflare, .gcs, .azure: objectKey(prefix: path, fileName: name)
        }
    }
}
