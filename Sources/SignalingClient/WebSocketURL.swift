// RFC 6455 section 3: ws-URI = "ws:" "//" host [ ":" port ] path [ "?" query ]
// (wss: needs TLS, which this client does not speak.)

/// The parts of a `ws://` URL the handshake needs.
struct WebSocketURL: Sendable, Equatable {
    var host: String
    var port: Int
    /// The request target: path and query, `/` when the URL has none.
    var target: String
}

extension WebSocketURL {
    init(parsing text: String) throws(JanusError) {
        guard text.hasPrefix("ws://") else { throw .invalidURL(text) }
        let rest = text.dropFirst("ws://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let target = rest.dropFirst(authority.count)
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            // An IPv6 literal: [::1]:8188
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(text) }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portPart = nil
            } else {
                guard after.hasPrefix(":") else { throw .invalidURL(text) }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else { throw .invalidURL(text) }
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else { throw .invalidURL(text) }
            self.port = port
        } else {
            port = 80
        }
        host = String(hostPart)
        self.target = target.isEmpty ? "/" : (target.hasPrefix("?") ? "/" + target : String(target))
    }

    /// The `Host` header.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }
}
