/// Where an S3-compatible service answers and how a bucket is addressed. The providers differ
/// only in these values: AWS, DigitalOcean Spaces, Cloudflare R2, Google Cloud Storage (XML API
/// with HMAC keys), or any endpoint given as a URL (MinIO, moto, a proxy).
public struct S3Endpoint: Sendable, Hashable {
    public enum AddressingStyle: Sendable, Hashable {
        /// `https://endpoint/bucket/key`
        case path
        /// `https://bucket.endpoint/key`
        case virtualHost
    }

    public var scheme: String
    public var host: String
    public var port: Int?
    /// The signing region (`auto` for R2 and GCS).
    public var region: String
    public var style: AddressingStyle

    public init(
        scheme: String, host: String, port: Int? = nil, region: String, style: AddressingStyle
    ) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.region = region
        self.style = style
    }

    /// `https://s3.<region>.amazonaws.com`, virtual-host style.
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(
            scheme: "https", host: "s3.\(region).amazonaws.com", region: region, style: .virtualHost
        )
    }

    /// `https://<region>.digitaloceanspaces.com`, virtual-host style.
    public static func digitalOceanSpaces(region: String) -> S3Endpoint {
        S3Endpoint(
            scheme: "https", host: "\(region).digitaloceanspaces.com", region: region,
            style: .virtualHost
        )
    }

    /// `https://storage.googleapis.com`, region `auto`, path style.
    public static func googleCloudStorage(region: String = "auto") -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "storage.googleapis.com", region: region, style: .path)
    }

    /// An endpoint given as a URL (`https://<account>.r2.cloudflarestorage.com` for R2, or a
    /// custom `endpoint`), path style.
    public init(url: String, region: String, style: AddressingStyle = .path)
        throws(StorageConfigurationError)
    {
        let schemeAndRest = url.split(
            separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard schemeAndRest.count == 2, ["http", "https"].contains(schemeAndRest[0].lowercased())
        else {
            throw StorageConfigurationError(
                field: "endpoint", reason: "\(url) is not an http(s) URL")
        }
        let authority = schemeAndRest[1].split(
            separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let hostAndPort = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard !authority.contains("@"), (1...2).contains(hostAndPort.count), !hostAndPort[0].isEmpty
        else {
            throw StorageConfigurationError(field: "endpoint", reason: "\(url) has no usable host")
        }
        var port: Int?
        if hostAndPort.count == 2 {
            guard let value = Int(hostAndPort[1]), (1...65_535).contains(value) else {
                throw StorageConfigurationError(field: "endpoint", reason: "\(url) has a bad port")
            }
            port = value
        }
        self.init(
            scheme: schemeAndRest[0].lowercased(), host: String(hostAndPort[0]).lowercased(),
            port: port, region: region, style: style)
    }

    /// The `Host` header value and the encoded path of `key` in `bucket`. A bucket name with
    /// dots falls back to path style: it would not match the service's wildcard certificate.
    func address(bucket: String, key: String) -> (host: String, encodedPath: String) {
        let encodedKey = PercentEncoding.encode(key, keepSlash: true)
        if style == .virtualHost && !bucket.contains(".") {
            return ("\(bucket).\(hostWithPort)", "/\(encodedKey)")
        }
        return (hostWithPort, "/\(bucket)/\(encodedKey)")
    }

    private var hostWithPort: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }
}
