import Foundation

/// A failed upload. The local file is untouched; `keptFile` names it so the status and exit
/// message can tell the user where the recording is. Texts that came from a server have every
/// configured credential replaced by `***` before they are stored here.
public struct UploadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The store answered with an error status (after retries, if it was retryable).
        case rejected(status: Int, code: String?, message: String?)
        /// No answer: connection refused or dropped, timeout (after retries).
        case network(String)
        /// The local file could not be read, or (local backend) the destination written.
        case localFile(String)
        /// The store answered something this client does not understand.
        case unexpectedResponse(String)
        case cancelled

        public var description: String {
            switch self {
            case .rejected(let status, let code, let message):
                return "HTTP \(status)" + (code.map { " \($0)" } ?? "")
                    + (message.map { " (\($0))" } ?? "")
            case .network(let text): return "network error: \(text)"
            case .localFile(let text): return "local file error: \(text)"
            case .unexpectedResponse(let text): return "unexpected response: \(text)"
            case .cancelled: return "cancelled"
            }
        }
    }

    public var reason: Reason
    /// The request or step that failed, e.g. `UploadPart 3`.
    public var operation: String
    public var attempts: Int
    /// The destination (`s3://bucket/key`, `azure://account/container/blob`, a path).
    public var destination: String
    /// The local file, still in place.
    public var keptFile: String

    public init(
        reason: Reason, operation: String, attempts: Int, destination: String, keptFile: String
    ) {
        self.reason = reason
        self.operation = operation
        self.attempts = attempts
        self.destination = destination
        self.keptFile = keptFile
    }

    public var description: String {
        "upload of \(keptFile) to \(destination) failed in \(operation) after \(attempts) "
            + "attempt\(attempts == 1 ? "" : "s"): \(reason); the file is kept at \(keptFile)"
    }
}

/// Replaces every occurrence of the given secrets in text that came from elsewhere (a server's
/// error message, a transport error), so it can go into errors and logs.
struct Redactor: Sendable {
    let secrets: [String]

    init(secrets: [String]) {
        // Longest first, so a secret containing another is masked whole.
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func scrub(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
