/// Where and how the bot joins a Janus VideoRoom.
public struct JanusVideoRoomConfiguration: Sendable {
    /// The WebSocket transport, `ws://host:port[/path]` (plain WebSocket; no TLS).
    public var url: String
    public var room: JanusID
    public var pin: String?
    /// Janus's `token` when its token authentication is on.
    public var token: String?
    /// The name the bot's (never publishing) publisher handle shows in the room.
    public var displayName: String
    /// Janus ends sessions that are silent for 60 s by default.
    public var keepaliveInterval: Duration = .seconds(25)
    /// How long a request may wait for its reply.
    public var requestTimeout: Duration = .seconds(10)
    /// Opening the TCP connection and the WebSocket handshake.
    public var connectTimeout: Duration = .seconds(10)
    /// How long `leave()` waits for Janus to confirm leaving, detaching and destroying;
    /// closing the socket then takes at most one second more.
    public var leaveTimeout: Duration = .seconds(5)

    public init(url: String, room: JanusID, displayName: String, pin: String? = nil, token: String? = nil) {
        self.url = url
        self.room = room
        self.displayName = displayName
        self.pin = pin
        self.token = token
    }
}
