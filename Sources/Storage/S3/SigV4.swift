import Crypto
import Foundation

/// An access key pair for the S3 API (AWS, R2, Spaces, GCS HMAC keys). Printing it shows
/// neither half, so it cannot reach a log line by accident.
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    public let accessKeyID: String
    public let secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    public var description: String { "S3Credentials(***)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// The parts of a request that AWS Signature Version 4 covers.
public struct SigV4Request: Sendable, Hashable {
    public var method: String
    /// The `Host` header as sent: the host name, plus `:port` when not the scheme's default.
    public var host: String
    /// The path as sent on the wire, already percent-encoded once (S3 signs it as is; it is
    /// not normalised or encoded a second time as other AWS services do).
    public var encodedPath: String
    /// Query parameters, not encoded, in the order they go into a presigned URL.
    public var query: [HTTPHeader]
    /// Headers to sign besides `host`, `x-amz-date` and `x-amz-content-sha256`.
    public var headers: [HTTPHeader]

    public init(
        method: String, host: String, encodedPath: String, query: [HTTPHeader] = [],
        headers: [HTTPHeader] = []
    ) {
        self.method = method
        self.host = host
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
    }
}

/// AWS Signature Version 4 for the S3 API: the `Authorization` header and presigned URLs.
/// Pure functions: the signing time is an input.
///
/// ```
/// CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
///                    SignedHeaders \n PayloadHash
/// StringToSign     = "AWS4-HMAC-SHA256" \n Timestamp \n Date/Region/Service/aws4_request \n
///                    hex(SHA256(CanonicalRequest))
/// SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + Secret, Date), Region), Service), "aws4_request")
/// Signature        = hex(HMAC(SigningKey, StringToSign))
/// ```
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash for a body that is not hashed (presigned URLs; optional for S3).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body.
    public static let emptyPayloadHash =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The longest validity S3 accepts for a presigned URL: 7 days.
    public static let maxPresignedExpirySeconds = 604_800

    public static func payloadHash(_ body: Data) -> String {
        hex(SHA256.hash(data: body))
    }

    /// The headers to add to `request`: `x-amz-date`, `x-amz-content-sha256` and
    /// `Authorization` (in botocore's form: `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
    /// Signature=…`).
    public static func signedHeaders(
        for request: SigV4Request, payloadHash: String, credentials: S3Credentials,
        region: String, service: String = "s3", date: Date
    ) -> [HTTPHeader] {
        let time = UTCTime(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        let amzHeaders = [
            HTTPHeader("x-amz-date", time.basicISO8601),
            HTTPHeader("x-amz-content-sha256", payloadHash),
        ]
        let headers = canonicalHeaders(
            [HTTPHeader("host", request.host)] + request.headers + amzHeaders)
        let canonical = canonicalRequest(
            method: request.method, encodedPath: request.encodedPath,
            query: canonicalQuery(request.query), headers: headers, payloadHash: payloadHash)
        let scope = "\(time.basicDate)/\(region)/\(service)/aws4_request"
        let signature = sign(
            canonicalRequest: canonical, time: time, scope: scope,
            secret: credentials.secretAccessKey,
            region: region, service: service)
        let authorization =
            "\(algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(headers.signedNames), Signature=\(signature)"
        return amzHeaders + [HTTPHeader("Authorization", authorization)]
    }

    /// A presigned URL for `request` (normally a GET with no extra headers, so only `host` is
    /// signed). Query parameters come first in their given order, then the `X-Amz-*` ones, as
    /// botocore writes them.
    public static func presignedURL(
        for request: SigV4Request, scheme: String, credentials: S3Credentials, region: String,
        service: String = "s3", date: Date, expiresSeconds: Int
    ) throws(StorageConfigurationError) -> String {
        guard (1...maxPresignedExpirySeconds).contains(expiresSeconds) else {
            throw StorageConfigurationError(
                field: "expiresSeconds",
                reason: "\(expiresSeconds) is outside 1...\(maxPresignedExpirySeconds)")
        }
        let time = UTCTime(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        let headers = canonicalHeaders([HTTPHeader("host", request.host)] + request.headers)
        let scope = "\(time.basicDate)/\(region)/\(service)/aws4_request"
        let authQuery = [
            HTTPHeader("X-Amz-Algorithm", algorithm),
            HTTPHeader("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            HTTPHeader("X-Amz-Date", time.basicISO8601),
            HTTPHeader("X-Amz-Expires", String(expiresSeconds)),
            HTTPHeader("X-Amz-SignedHeaders", headers.signedNames),
        ]
        let query = request.query + authQuery
        let canonical = canonicalRequest(
            method: request.method, encodedPath: request.encodedPath, query: canonicalQuery(query),
            headers: headers, payloadHash: unsignedPayload)
        let signature = sign(
            canonicalRequest: canonical, time: time, scope: scope,
            secret: credentials.secretAccessKey,
            region: region, service: service)
        return "\(scheme)://\(request.host)\(request.encodedPath)?"
            + PercentEncoding.query(query) + "&X-Amz-Signature=\(signature)"
    }

    // MARK: - Canonical forms

    struct CanonicalHeaders {
        /// `name:value` lines, sorted by lower-cased name.
        var lines: [String]
        /// `host;x-amz-date;…`
        var signedNames: String
    }

    /// Lower-cased names, sorted; values trimmed with inner runs of spaces collapsed; repeated
    /// names joined with commas.
    static func canonicalHeaders(_ headers: [HTTPHeader]) -> CanonicalHeaders {
        var values: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(separator: " ", omittingEmptySubsequences: true)
                .joined(separator: " ")
            values[header.name.lowercased(), default: []].append(value)
        }
        let names = values.keys.sorted()
        return CanonicalHeaders(
            lines: names.map { "\($0):\(values[$0, default: []].joined(separator: ","))" },
            signedNames: names.joined(separator: ";"))
    }

    /// Names and values percent-encoded (including `/`), sorted by name, then value.
    static func canonicalQuery(_ query: [HTTPHeader]) -> String {
        query.map {
            (
                PercentEncoding.encode($0.name, keepSlash: false),
                PercentEncoding.encode($0.value, keepSlash: false)
            )
        }
        .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        .map { "\($0.0)=\($0.1)" }
        .joined(separator: "&")
    }

    static func canonicalRequest(
        method: String, encodedPath: String, query: String, headers: CanonicalHeaders,
        payloadHash: String
    ) -> String {
        [
            method.uppercased(), encodedPath.isEmpty ? "/" : encodedPath, query,
            headers.lines.joined(separator: "\n") + "\n", headers.signedNames, payloadHash,
        ].joined(separator: "\n")
    }

    static func sign(
        canonicalRequest: String, time: UTCTime, scope: String, secret: String, region: String,
        service: String
    ) -> String {
        let stringToSign = [
            algorithm, time.basicISO8601, scope,
            hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for component in [time.basicDate, region, service, "aws4_request"] {
            key = SymmetricKey(
                data: Data(HMAC<SHA256>.authenticationCode(for: Data(component.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits: [Character] = Array("0123456789abcdef")
        var result = ""
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return result
    }
}
