import Testing

@testable import SignalingClient

struct WebSocketURLTests {
    @Test func parsesHostPortAndTarget() throws {
        #expect(try WebSocketURL(parsing: "ws://169.254.64.2:8188") == WebSocketURL(host: "169.254.64.2", port: 8188, target: "/"))
        #expect(try WebSocketURL(parsing: "ws://janus.example/janus?x=1") == WebSocketURL(host: "janus.example", port: 80, target: "/janus?x=1"))
        #expect(try WebSocketURL(parsing: "ws://[fd00::2]:8188/ws") == WebSocketURL(host: "fd00::2", port: 8188, target: "/ws"))
        #expect(try WebSocketURL(parsing: "ws://h:8188?q").target == "/?q")
        #expect(try WebSocketURL(parsing: "ws://[fd00::2]:8188").hostHeader == "[fd00::2]:8188")
    }

    @Test(arguments: ["wss://h:8188", "http://h", "ws://", "ws://:8188", "ws://h:0", "ws://h:99999", "ws://h:x", "ws://[::1", "ws://[::1]x"])
    func rejects(_ text: String) {
        #expect(throws: JanusError.invalidURL(text)) { try WebSocketURL(parsing: text) }
    }
}
