import Crypto
import Foundation
import JobConfig

/// Signs webhook messages the Standard Webhooks way:
///
///     webhook-id: msg_<uuid>             unique per message, the same on every retry
///     webhook-timestamp: 1764150000      unix seconds of the attempt
///     webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>
///
/// The key comes from the job's `webhook.secret`: a secret written `whsec_<base64>` (the form
/// Standard Webhooks libraries generate) is base64-decoded and the bytes are the key; any other
/// secret is used as is, its UTF-8 bytes being the key.
public struct StatusWebhookSigner: Sendable, CustomStringConvertible, CustomReflectable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`).
    private let key: [UInt8]

    public init(secret: Secret) throws(StatusWebhookSecretError) {
        let text = secret.exposedValue
        let prefix = "whsec_"
        if text.hasPrefix(prefix) {
            guard let bytes = Data(base64Encoded: String(text.dropFirst(prefix.count))), !bytes.isEmpty else {
                throw StatusWebhookSecretError()
            }
            key = Array(bytes)
        } else {
            guard !text.isEmpty else { throw StatusWebhookSecretError() }
            key = Array(text.utf8)
        }
    }

    /// The key never shows in a description, a dump or a log line.
    public var description: String { "StatusWebhookSigner(\(Secret.mask))" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// The `webhook-signature` header value.
    public func signature(id: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}

/// The webhook secret cannot be used as a key. Says which field, never the value.
public struct StatusWebhookSecretError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String {
        "webhook.secret: a secret starting with whsec_ must continue with non-empty base64; any other secret must not be empty"
    }
}
