import COpenSSL

/// OpenSSL reports failures on a per-thread error queue; each call that can fail clears it
/// first and drains it afterwards so errors carry OpenSSL's own text.
enum OpenSSLErrorQueue {
    /// More than this many queued errors only repeat the cause.
    private static let limit = 8

    static func drain() -> [String] {
        var messages: [String] = []
        while messages.count < limit {
            let code = ERR_get_error()
            guard code != 0 else { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            messages.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        ERR_clear_error()
        return messages
    }
}
