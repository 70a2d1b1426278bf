import SDP
import Testing

@Suite struct RoundTripTests {
    @Test(arguments: Fixture.all)
    func parseSerializeParseIsIdentity(name: String) throws {
        for text in [try Fixture.text(name), try Fixture.desanitizedText(name)] {
            let parsed = try SessionDescription(parsing: text)
            let serialized = parsed.text
            let reparsed = try SessionDescription(parsing: serialized)
            #expect(reparsed == parsed)
            #expect(reparsed.text == serialized)
        }
    }

    /// Serialization loses no line: it writes the same lines, only in canonical order (and
    /// `msid-semantic` without the blank Janus and Chrome put after the colon).
    @Test(arguments: Fixture.all)
    func serializationKeepsEveryLine(name: String) throws {
        let text = try Fixture.desanitizedText(name)
        let serialized = try SessionDescription(parsing: text).text
        #expect(serialized.hasSuffix("\r\n"))
        #expect(!serialized.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let original = text.split(whereSeparator: \.isNewline).map {
            $0.replacingOccurrences(of: "a=msid-semantic: ", with: "a=msid-semantic:")
        }
        let written = serialized.split(whereSeparator: \.isNewline).map(String.init)
        #expect(written.sorted() == original.sorted())
    }

    @Test func canonicalOrderOfTheJanusOffer() throws {
        let text = try SessionDescription(parsing: Fixture.desanitizedText(Fixture.janusOfferH264)).text
        let lines = text.split(separator: "\r\n").map(String.init)
        // Session part, then per section: m, c, mid, direction, ICE, DTLS, extmap, rtcp-mux, codecs, msid, ssrc.
        #expect(
            Array(lines.prefix(9)) == [
                "v=0", "o=- 1795681358396236 1 IN IP4 127.0.0.1", "s=VideoRoom 1234", "t=0 0", "a=group:BUNDLE 0 1",
                "a=msid-semantic:WMS *", "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + Fixture.sampleFingerprint.hexString,
                "a=extmap-allow-mixed",
            ])
        #expect(
            Array(lines[9...]).prefix(27) == [
                "m=video 9 UDP/TLS/RTP/SAVPF 107 108", "c=IN IP4 127.0.0.1", "a=mid:0", "a=sendonly",
                "a=ice-ufrag:Jn5u",
                "a=ice-pwd:Q2xpZW50UGFzc3dvcmQxMjM0", "a=ice-options:trickle", "a=setup:actpass",
                "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtcp-mux", "a=rtpmap:107 H264/90000",
                "a=rtcp-fb:107 ccm fir", "a=rtcp-fb:107 nack", "a=rtcp-fb:107 nack pli", "a=rtcp-fb:107 goog-remb",
                "a=rtcp-fb:107 transport-cc", "a=fmtp:107 profile-level-id=42001f;packetization-mode=1",
                "a=rtpmap:108 rtx/90000", "a=fmtp:108 apt=107", "a=msid:janus janus0",
                "a=ssrc-group:FID 119568988 4057567693",
                "a=ssrc:119568988 cname:janus", "a=ssrc:4057567693 cname:janus", "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                "c=IN IP4 127.0.0.1",
            ])
    }

    @Test func builtDescriptionSerializesAndParsesBack() throws {
        var section = MediaDescription(kind: .audio, formats: ["111"], connection: Connection())
        section.mid = "a0"
        section.direction = .receiveOnly
        section.rtpMaps = [RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2)]
        section.formatParameters = [
            FormatParameters(payloadType: 111, parameters: [FormatParameter(name: "useinbandfec", value: "1")])
        ]
        section.candidates = [
            ICECandidate(foundation: "1", priority: 100, address: "192.0.2.1", port: 5000, type: .host)
        ]
        var session = SessionDescription(origin: Origin(sessionID: 7, sessionVersion: 3))
        session.iceLite = true
        session.media = [section]
        #expect(
            session.text == """
                v=0\r
                o=- 7 3 IN IP4 0.0.0.0\r
                s=-\r
                t=0 0\r
                a=ice-lite\r
                m=audio 9 UDP/TLS/RTP/SAVPF 111\r
                c=IN IP4 0.0.0.0\r
                a=mid:a0\r
                a=recvonly\r
                a=rtpmap:111 opus/48000/2\r
                a=fmtp:111 useinbandfec=1\r
                a=candidate:1 1 udp 100 192.0.2.1 5000 typ host\r

                """)
        #expect(try SessionDescription(parsing: session.text) == session)
    }
}
