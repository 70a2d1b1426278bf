/// Why a request to Janus, or the connection to it, failed.
public enum JanusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Janus refused the request (`"janus": "error"`), e.g. 458 no such session.
    case server(request: String, code: Int, reason: String)
    /// The VideoRoom plugin refused the request (`error_code`), e.g. 426 no such room.
    case plugin(request: String, code: Int, reason: String)
    case timeout(request: String, after: Duration)
    /// A reply lacks what the request needs (`field` names it).
    case invalidReply(request: String, field: String)
    /// The request makes no sense now, e.g. an answer with no offer to answer.
    case invalidState(request: String, reason: String)
    case invalidURL(String)
    /// The WebSocket could not be opened, or closed.
    case connection(reason: String)

    public var description: String {
        switch self {
        case .server(let request, let code, let reason): "Janus refused \(request): \(code) \(reason)"
        case .plugin(let request, let code, let reason): "VideoRoom refused \(request): \(code) \(reason)"
        case .timeout(let request, let after): "no reply to \(request) within \(after)"
        case .invalidReply(let request, let field): "reply to \(request) lacks \(field)"
        case .invalidState(let request, let reason): "cannot send \(request): \(reason)"
        case .invalidURL(let url): "not a ws:// URL: \(url)"
        case .connection(let reason): "Janus connection: \(reason)"
        }
    }
}
