import Crypto
import Foundation

/// Azure Storage Shared Key authorization for the Blob service (version 2009-09-19 and later):
///
/// ```
/// StringToSign = VERB \n Content-Encoding \n Content-Language \n Content-Length \n
///                Content-MD5 \n Content-Type \n Date \n If-Modified-Since \n If-Match \n
///                If-None-Match \n If-Unmodified-Since \n Range \n
///                CanonicalizedHeaders      (x-ms-* lower-cased, sorted, "name:value\n" each)
///                CanonicalizedResource     ("/" account encodedPath, then "\nname:value" per
///                                           query parameter, sorted, values decoded)
/// Authorization = "SharedKey " account ":" base64(HMAC-SHA256(key, StringToSign))
/// ```
/// A `Content-Length` of 0 is signed as empty.
public enum AzureSharedKey {
    /// The service version sent as `x-ms-version` and signed into SAS tokens.
    public static let serviceVersion = "2021-08-06"

    private static let standardHeaders = [
        "content-encoding", "content-language", "content-length", "content-md5", "content-type",
        "date", "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range",
    ]

    /// The `Authorization` header for a request whose headers (including `x-ms-date` and
    /// `x-ms-version`) are final.
    public static func authorization(
        method: String, encodedPath: String, query: [HTTPHeader], headers: [HTTPHeader],
        account: AzureAccount
    ) -> String {
        var values: [String: String] = [:]
        for header in headers { values[header.name.lowercased()] = header.value }
        if values["content-length"] == "0" { values["content-length"] = nil }

        var stringToSign = method.uppercased() + "\n"
        for name in standardHeaders { stringToSign += (values[name] ?? "") + "\n" }
        for name in values.keys.filter({ $0.hasPrefix("x-ms-") }).sorted() {
            stringToSign += "\(name):\(values[name] ?? "")\n"
        }
        stringToSign += "/\(account.name)\(encodedPath.isEmpty ? "/" : encodedPath)"
        for parameter in query.sorted(by: { $0.name < $1.name }) {
            stringToSign += "\n\(parameter.name.lowercased()):\(parameter.value)"
        }
        return "SharedKey \(account.name):\(signature(stringToSign, key: account.key))"
    }

    static func signature(_ stringToSign: String, key: Data) -> String {
        Data(
            HMAC<SHA256>.authenticationCode(
                for: Data(stringToSign.utf8), using: SymmetricKey(data: key))
        )
        .base64EncodedString()
    }
}

/// A service SAS granting read access to one blob (the `downloadUrl` of an Azure upload).
public enum AzureBlobSAS {
    /// The query string (without `?`) in the order the azure-storage-blob SDK writes it:
    /// `st`, `se`, `sp`, `spr`, `sv`, `sr`, `sig`.
    ///
    /// ```
    /// StringToSign = sp \n st \n se \n /blob/account/container/blob \n si \n sip \n spr \n
    ///                sv \n sr \n snapshot \n ses \n rscc \n rscd \n rsce \n rscl \n rsct
    /// ```
    public static func readToken(
        account: AzureAccount, container: String, blobName: String, start: Date, expiry: Date,
        allowHTTP: Bool
    ) -> String {
        let startText = UTCTime(epochSeconds: Int64(start.timeIntervalSince1970.rounded(.down)))
            .extendedISO8601
        let expiryText = UTCTime(epochSeconds: Int64(expiry.timeIntervalSince1970.rounded(.down)))
            .extendedISO8601
        let protocols = allowHTTP ? "https,http" : "https"
        let fields = [
            "r", startText, expiryText, "/blob/\(account.name)/\(container)/\(blobName)", "", "",
            protocols, AzureSharedKey.serviceVersion, "b", "", "", "", "", "", "", "",
        ]
        let signature = AzureSharedKey.signature(fields.joined(separator: "\n"), key: account.key)
        return [
            ("st", startText), ("se", expiryText), ("sp", "r"), ("spr", protocols),
            ("sv", AzureSharedKey.serviceVersion), ("sr", "b"), ("sig", signature),
        ]
        .map { "\($0.0)=\(PercentEncoding.encode($0.1, keepSlash: true))" }
        .joined(separator: "&")
    }
}
