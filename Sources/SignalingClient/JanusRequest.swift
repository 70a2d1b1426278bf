// A request to Janus over the WebSocket transport, e.g.
//   {"janus":"message","session_id":S,"handle_id":H,"transaction":"t",
//    "body":{"request":"start"},"jsep":{"type":"answer","sdp":"v=0..."}}

/// One request to Janus. Absent fields are left out of the JSON.
struct JanusRequest: Encodable, Sendable, Equatable {
    /// create, attach, message, trickle, keepalive, detach, destroy.
    var janus: String
    var transaction: String
    var sessionID: UInt64?
    var handleID: UInt64?
    var plugin: String?
    var body: VideoRoomRequest?
    var jsep: JSEP?
    var candidate: TrickleCandidate?
    var token: String?

    enum CodingKeys: String, CodingKey {
        case janus, transaction, plugin, body, jsep, candidate, token
        case sessionID = "session_id"
        case handleID = "handle_id"
    }

    /// What the request is called in errors and logs: the plugin request for a `message`.
    var name: String { body?.request ?? janus }
}

/// The `body` of a `message` to the VideoRoom plugin.
struct VideoRoomRequest: Encodable, Sendable, Equatable {
    /// One feed to subscribe to: all of its streams, or the one with the publisher's `mid`.
    struct Feed: Encodable, Sendable, Equatable {
        var feed: JanusID
        var mid: String?
    }

    /// join, subscribe, start, leave.
    var request: String
    /// `publisher` or `subscriber` for a join.
    var ptype: String?
    var room: JanusID?
    var pin: String?
    var display: String?
    var privateID: UInt64?
    var streams: [Feed]?

    enum CodingKeys: String, CodingKey {
        case request, ptype, room, pin, display, streams
        case privateID = "private_id"
    }
}
