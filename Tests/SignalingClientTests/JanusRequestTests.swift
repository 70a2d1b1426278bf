import Foundation
import Testing

@testable import SignalingClient

/// Requests encode to the JSON Janus expects (the transcript's requests, keys sorted).
struct JanusRequestTests {
    func encoded(_ request: JanusRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }

    @Test func encodesASubscriberJoin() throws {
        let body = VideoRoomRequest(
            request: "join", ptype: "subscriber", room: 1234, privateID: 1000000004,
            streams: [.init(feed: 1000000000000005)])
        let request = JanusRequest(
            janus: "message", transaction: "tx-005", sessionID: 1000000000000001, handleID: 1000000000000009, body: body)
        #expect(try encoded(request) == #"{"body":{"private_id":1000000004,"ptype":"subscriber","request":"join","room":1234,"streams":[{"feed":1000000000000005}]},"handle_id":1000000000000009,"janus":"message","session_id":1000000000000001,"transaction":"tx-005"}"#)
    }

    @Test func encodesStartWithTheAnswerAndTrickles() throws {
        let start = JanusRequest(
            janus: "message", transaction: "tx-006", sessionID: 1, handleID: 9, body: VideoRoomRequest(request: "start"),
            jsep: JSEP(type: "answer", sdp: "v=0\r\n"))
        #expect(try encoded(start) == #"{"body":{"request":"start"},"handle_id":9,"janus":"message","jsep":{"sdp":"v=0\r\n","type":"answer"},"session_id":1,"transaction":"tx-006"}"#)
        let candidate = JanusRequest(
            janus: "trickle", transaction: "tx-007", sessionID: 1, handleID: 9,
            candidate: TrickleCandidate(candidate: "candidate:1 1 udp 2130706431 169.254.64.1 40000 typ host", sdpMid: nil, sdpMLineIndex: 0))
        #expect(try encoded(candidate) == #"{"candidate":{"candidate":"candidate:1 1 udp 2130706431 169.254.64.1 40000 typ host","sdpMLineIndex":0},"handle_id":9,"janus":"trickle","session_id":1,"transaction":"tx-007"}"#)
        #expect(start.name == "start" && candidate.name == "trickle")
    }

    @Test func decodesNumericAndStringIDs() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([JanusID].self, from: Data(#"[1000000000000005, "abc", "ok"]"#.utf8))
            == [.number(1000000000000005), .string("abc"), "ok"])
        #expect(throws: DecodingError.self) { try decoder.decode(JanusID.self, from: Data("-1.5".utf8)) }
    }
}
