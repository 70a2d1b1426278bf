// Messages Janus 1.1.2 (Debian) sent to a subscriber, from the sanitized transcript of a real
// session (reference: janus-videoroom-transcript.md, sections A and B). The transaction ids
// are the ones `VideoRoomStateMachine` gives its requests with the prefix "tx" (tx-1, tx-2,
// ...); everything else is as Janus sent it.
enum JanusTranscript {
    static let sessionID: UInt64 = 1000000000000001
    static let controlHandle: UInt64 = 1000000000000002
    static let subscriberHandle: UInt64 = 1000000000000009
    static let privateID: UInt64 = 1000000004

    static func success(_ transaction: String, id: UInt64) -> String {
        #"{"janus":"success","session_id":1000000000000001,"transaction":"\#(transaction)","data":{"id":\#(id)}}"#
    }

    static func ack(_ transaction: String) -> String {
        #"{"janus":"ack","session_id":1000000000000001,"transaction":"\#(transaction)"}"#
    }

    /// The control handle's `joined` reply listing four publishers.
    static func joined(_ transaction: String) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined","room":1234,"description":"Demo Room",
         "id":1000000000000003,"private_id":1000000004,"publishers":[
          {"id":1000000000000005,"display":"pub-2","video_codec":"vp8","audio_codec":"opus","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus","talking":false}],"talking":false},
          {"id":1000000000000006,"display":"pub-1","video_codec":"vp8","audio_codec":"opus","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus","talking":false}],"talking":false},
          {"id":1000000000000007,"display":"pub-3","video_codec":"vp8","audio_codec":"opus","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus","talking":false}],"talking":false},
          {"id":1000000000000008,"display":"pub-4","video_codec":"vp8","audio_codec":"opus","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus","talking":false}],"talking":false}
         ]}}}
        """#
    }

    /// The control handle's `joined` reply in an empty room.
    static func joinedEmptyRoom(_ transaction: String) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined","room":1234,"description":"Demo Room",
         "id":1000000000000003,"private_id":1000000004,"publishers":[]}}}
        """#
    }

    /// The subscriber's `attached` event carrying the offer for pub-2's two streams.
    static func attached(_ transaction: String) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":1000000000000009,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"attached","room":1234,"streams":[
          {"type":"video","active":true,"mindex":0,"mid":"0","ready":false,"send":true,"feed_id":1000000000000005,
           "feed_display":"pub-2","feed_mid":"0","codec":"vp8"},
          {"type":"audio","active":true,"mindex":1,"mid":"1","ready":false,"send":true,"feed_id":1000000000000005,
           "feed_display":"pub-2","feed_mid":"1","codec":"opus"}]}},
         "jsep":{"type":"offer","sdp":"\#(offerSDP)"}}
        """#
    }

    /// The offer SDP of `attached`, with its line ends escaped as in the JSON.
    static let offerSDP = [
        "v=0", "o=- 1795681404027956 1 IN IP4 127.0.0.1", "s=VideoRoom 1234", "t=0 0", "a=group:BUNDLE 0 1",
        "a=ice-options:trickle", "a=fingerprint:sha-256 <fingerprint>", "a=extmap-allow-mixed", "a=msid-semantic: WMS *",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 127.0.0.1", "a=sendonly", "a=mid:0", "a=rtcp-mux",
        "a=ice-ufrag:<ufrag>", "a=ice-pwd:<pwd>", "a=ice-options:trickle", "a=setup:actpass", "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 nack pli", "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96", "a=ssrc-group:FID 471029127 2641167689", "a=msid:janus janus0",
        "a=ssrc:471029127 cname:janus", "a=ssrc:2641167689 cname:janus",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=sendonly", "a=mid:1", "a=rtcp-mux",
        "a=ice-ufrag:<ufrag>", "a=ice-pwd:<pwd>", "a=ice-options:trickle", "a=setup:actpass",
        "a=rtpmap:111 opus/48000/2", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=msid:janus janus1", "a=ssrc:1602414975 cname:janus", "",
    ].joined(separator: "\\r\\n")

    static let trickledCandidate = #"""
        {"janus":"trickle","session_id":1000000000000001,"sender":1000000000000009,
         "candidate":{"sdpMid":"0","sdpMLineIndex":0,"candidate":"candidate:1 1 udp 2015363583 127.0.0.1 20625 typ host"}}
        """#

    static let trickleCompleted = #"""
        {"janus":"trickle","session_id":1000000000000001,"sender":1000000000000009,"candidate":{"completed":true}}
        """#

    static func started(_ transaction: String) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":1000000000000009,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"started":"ok"}}}
        """#
    }

    static let webrtcUp = #"{"janus":"webrtcup","session_id":1000000000000001,"sender":1000000000000009}"#

    /// A fifth publisher appears (asynchronous, on the control handle).
    static let publisherArrives = #"""
        {"janus":"event","session_id":1000000000000001,"sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"publishers":[
          {"id":1000000000000010,"display":"pub-5","video_codec":"vp8","audio_codec":"opus","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus"}]}]}}}
        """#

    /// pub-2 (subscribed with mids 0 and 1) starts a third stream, a screen share, on its
    /// connection: Janus lists the publisher again with all its streams. Built from the
    /// `publishers` entries above; the transcript's session has no such step.
    static let publisherAddsAStream = #"""
        {"janus":"event","session_id":1000000000000001,"sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"publishers":[
          {"id":1000000000000005,"display":"pub-2","streams":[
           {"type":"video","mindex":0,"mid":"0","codec":"vp8"},{"type":"audio","mindex":1,"mid":"1","codec":"opus"},
           {"type":"video","mindex":2,"mid":"2","codec":"vp8","description":"screen"}]}]}}}
        """#

    /// The renegotiation that adds pub-2's third stream as m-line 2.
    static func updatedWithAddedStream(_ transaction: String) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":1000000000000009,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"updated","room":1234,"streams":[
          {"type":"video","active":true,"mindex":0,"mid":"0","ready":true,"send":true,"feed_id":1000000000000005,
           "feed_display":"pub-2","feed_mid":"0","codec":"vp8"},
          {"type":"audio","active":true,"mindex":1,"mid":"1","ready":true,"send":true,"feed_id":1000000000000005,
           "feed_display":"pub-2","feed_mid":"1","codec":"opus"},
          {"type":"video","active":true,"mindex":2,"mid":"2","ready":false,"send":true,"feed_id":1000000000000005,
           "feed_display":"pub-2","feed_mid":"2","codec":"vp8"}]}},
         "jsep":{"type":"offer","sdp":"v=0\r\no=- 1795681443744342 3 IN IP4 127.0.0.1\r\n"}}
        """#
    }

    static func unpublished(_ feed: UInt64) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"unpublished":\#(feed)}}}
        """#
    }

    static func leaving(_ feed: UInt64) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"sender":1000000000000002,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"leaving":\#(feed)}}}
        """#
    }

    /// The renegotiation after pub-2 (mids 0 and 1) went away: both m-lines inactive, and the
    /// streams no longer name their feed.
    static let updatedAfterLeave = #"""
        {"janus":"event","session_id":1000000000000001,"sender":1000000000000009,
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"updated","room":1234,"streams":[
          {"type":"video","active":false,"mindex":0,"mid":"0","ready":false,"send":true},
          {"type":"audio","active":false,"mindex":1,"mid":"1","ready":false,"send":true}]}},
         "jsep":{"type":"offer","sdp":"v=0\r\no=- 1795681443744342 2 IN IP4 127.0.0.1\r\n"}}
        """#

    static func left(_ transaction: String, handle: UInt64) -> String {
        #"""
        {"janus":"event","session_id":1000000000000001,"transaction":"\#(transaction)","sender":\#(handle),
         "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":1234,"left":"ok"}}}
        """#
    }

    static let hangup = #"{"janus":"hangup","session_id":1000000000000001,"sender":1000000000000009,"reason":"DTLS alert"}"#

    static func plainSuccess(_ transaction: String) -> String {
        #"{"janus":"success","session_id":1000000000000001,"transaction":"\#(transaction)"}"#
    }
}
