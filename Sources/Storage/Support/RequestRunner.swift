import Foundation
import Logging

/// Sends one logical request with the retry policy. The request is rebuilt for every attempt
/// so that a signature carries the time it is sent.
struct RequestRunner: Sendable {
    let transport: any HTTPTransport
    let policy: RetryPolicy
    let redactor: Redactor
    let logger: Logger

    struct Failure: Error {
        var reason: UploadError.Reason
        var attempts: Int
    }

    /// Returns the first 2xx response (an S3 200 whose body is an `<Error>` document counts as
    /// a failure, as S3 may answer CompleteMultipartUpload that way).
    func send(_ operation: String, _ makeRequest: () -> HTTPRequest) async throws(Failure)
        -> HTTPResponse
    {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            let reason: UploadError.Reason
            let retryable: Bool
            do {
                try Task.checkCancellation()
                let response = try await transport.send(makeRequest())
                let error = ErrorDocument(response.body)
                if (200..<300).contains(response.status) && error == nil {
                    return response
                }
                let status = (200..<300).contains(response.status) ? 500 : response.status
                reason = .rejected(
                    status: status, code: error?.code.map(redactor.scrub),
                    message: error?.message.map(redactor.scrub))
                retryable = RetryPolicy.isRetryable(status: status, code: error?.code)
            } catch is CancellationError {
                throw Failure(reason: .cancelled, attempts: attempt)
            } catch {
                reason = .network(redactor.scrub(String(describing: error)))
                retryable = true
            }
            let pause = policy.delay(
                afterAttempt: attempt, randomFraction: Double.random(in: 0...1))
            guard retryable, attempt < policy.maxAttempts,
                clock.now - start + pause <= policy.maxTotal
            else {
                logger.warning(
                    "storage request failed",
                    metadata: [
                        "operation": "\(operation)", "attempt": "\(attempt)", "reason": "\(reason)",
                    ])
                throw Failure(reason: reason, attempts: attempt)
            }
            logger.info(
                "storage request will be retried",
                metadata: [
                    "operation": "\(operation)", "attempt": "\(attempt)", "reason": "\(reason)",
                    "delay": "\(pause)",
                ])
            do {
                try await Task.sleep(for: pause)
            } catch {
                throw Failure(reason: .cancelled, attempts: attempt)
            }
        }
    }
}

/// The `<Error><Code>…</Code><Message>…</Message></Error>` document S3 and Azure both send.
struct ErrorDocument: Equatable {
    var code: String?
    var message: String?

    init?(_ body: Data) {
        guard body.count < 1 << 20, let text = String(data: body, encoding: .utf8),
            text.contains("<Error>")
        else { return nil }
        code = XMLText.first("Code", in: text)
        message = XMLText.first("Message", in: text)
    }
}

/// Just enough XML for the S3 and Azure responses used here: the text of simple elements.
enum XMLText {
    static func all(_ element: String, in text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(element)>"),
            let close = rest.range(of: "</\(element)>", range: open.upperBound..<rest.endIndex)
        {
            values.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return values
    }

    static func first(_ element: String, in text: String) -> String? {
        all(element, in: text).first
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
            of: "<", with: "&lt;"
        )
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(
            of: "&apos;", with: "'"
        )
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
