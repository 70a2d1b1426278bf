/// Why a connection attempt or an exchange on it failed, sorted by what the uploader does next.
enum SFTPFailure: Error, CustomStringConvertible {
    /// Connect refused, dropped, timed out: worth another attempt.
    case network(String)
    /// The server turned down the credentials: another attempt would be turned down too.
    case authenticationRejected
    /// The server's host key is not the one configured.
    case hostKeyMismatch(expected: String, presented: String)
    /// A request answered with an error status.
    case status(request: String, code: UInt32, message: String)
    /// The server sent something this client does not understand.
    case protocolViolation(String)
    /// The file to upload could not be read.
    case localFile(String)

    var description: String {
        switch self {
        case .network(let text): text
        case .authenticationRejected: "the server rejected the credentials"
        case .hostKeyMismatch(let expected, let presented):
            "host key \(presented) is not the expected \(expected)"
        case .status(let request, let code, let message):
            "\(request): \(SFTPStatusCode.name(code))" + (message.isEmpty ? "" : " (\(message))")
        case .protocolViolation(let text), .localFile(let text): text
        }
    }
}
