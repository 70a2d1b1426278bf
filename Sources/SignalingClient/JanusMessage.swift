// A message from Janus over the WebSocket transport (janus.plugin.videoroom), e.g.
//   {"janus":"event","session_id":S,"transaction":"t","sender":H,
//    "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined",...}},
//    "jsep":{"type":"offer","sdp":"v=0..."}}
// `janus` is one of: success, error, ack, event, trickle, webrtcup, media, slowlink, hangup,
// detached, timeout. Replies carry the request's `transaction`; asynchronous events carry
// `sender` (the handle) and no transaction.

/// One message from Janus; fields the bot does not use are not decoded.
struct JanusMessage: Decodable, Sendable, Equatable {
    struct SuccessData: Decodable, Sendable, Equatable {
        /// The new session's or handle's id (`create`, `attach`).
        var id: UInt64?
    }

    struct ErrorBody: Decodable, Sendable, Equatable {
        var code: Int
        var reason: String
    }

    struct PluginData: Decodable, Sendable, Equatable {
        var plugin: String
        var data: VideoRoomData
    }

    var janus: String
    var transaction: String?
    var sessionID: UInt64?
    var sender: UInt64?
    var data: SuccessData?
    var error: ErrorBody?
    var plugindata: PluginData?
    var jsep: JSEP?
    var candidate: TrickleCandidate?
    /// Why a `hangup` happened.
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case janus, transaction, sender, data, error, plugindata, jsep, candidate, reason
        case sessionID = "session_id"
    }
}

/// A session description as Janus carries it.
struct JSEP: Codable, Sendable, Equatable {
    /// `offer` or `answer`.
    var type: String
    var sdp: String
}

/// A trickled candidate in either direction: a candidate line with its m-line, or
/// `{"completed": true}` for the end of candidates.
struct TrickleCandidate: Codable, Sendable, Equatable {
    var candidate: String?
    var sdpMid: String?
    var sdpMLineIndex: Int?
    var completed: Bool?
}

/// The `plugindata.data` of a VideoRoom reply or event.
struct VideoRoomData: Decodable, Sendable, Equatable {
    /// A publisher in the room (`joined` and `publishers` events).
    struct Publisher: Decodable, Sendable, Equatable {
        /// One stream a publisher sends; `disabled` once the publisher stopped it.
        struct Stream: Decodable, Sendable, Equatable {
            var type: String
            var mid: String?
            var disabled: Bool?
        }

        var id: JanusID
        var display: String?
        var streams: [Stream]?

        /// The mids of the audio and video streams it sends now.
        var mediaMids: [String] {
            (streams ?? []).compactMap { stream in
                guard stream.type == "audio" || stream.type == "video", stream.disabled != true else { return nil }
                return stream.mid
            }
        }
    }

    /// One m-line of a subscriber's offer (`attached` and `updated` events). Inactive m-lines
    /// no longer name their feed.
    struct Stream: Decodable, Sendable, Equatable {
        /// `audio`, `video` or `data`.
        var type: String
        var active: Bool?
        var mid: String?
        var feedID: JanusID?
        var feedDisplay: String?
        /// The publisher's mid of the stream this m-line carries.
        var feedMid: String?
        var codec: String?

        enum CodingKeys: String, CodingKey {
            case type, active, mid, codec
            case feedID = "feed_id"
            case feedDisplay = "feed_display"
            case feedMid = "feed_mid"
        }
    }

    /// joined, attached, updated, event, destroyed, talking, ...
    var videoroom: String?
    var room: JanusID?
    var privateID: UInt64?
    var publishers: [Publisher]?
    var streams: [Stream]?
    /// A feed id in an asynchronous event; `"ok"` in the reply to our own request.
    var unpublished: JanusID?
    var leaving: JanusID?
    var errorCode: Int?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case videoroom, room, publishers, streams, unpublished, leaving, error
        case privateID = "private_id"
        case errorCode = "error_code"
    }
}
