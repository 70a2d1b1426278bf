import SDP
import Testing

/// One description per attribute kind, checking the typed value and what comes back out.
@Suite struct AttributeTests {
    private func media(_ attributes: String...) throws -> MediaDescription {
        let text =
            "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
            + attributes.map { $0 + "\n" }.joined()
        return try SessionDescription(parsing: text).media[0]
    }

    @Test func extmapWithDirectionAndAttributes() throws {
        let section = try media("a=extmap:7/recvonly urn:example:ext a b", "a=extmap:3 urn:example:plain")
        #expect(
            section.extensionMaps == [
                ExtensionMap(id: 7, direction: .receiveOnly, uri: "urn:example:ext", attributes: "a b"),
                ExtensionMap(id: 3, uri: "urn:example:plain"),
            ])
        #expect(
            section.lines(starting: "a=extmap") == [
                "a=extmap:7/recvonly urn:example:ext a b", "a=extmap:3 urn:example:plain",
            ])
    }

    @Test func fmtpParametersSplitOnSemicolonsAndTolerateBlanks() throws {
        let section = try media("a=rtpmap:96 H264/90000", "a=fmtp:96 profile-level-id=42e01f; packetization-mode=1 ;x")
        #expect(
            section.formatParameters == [
                FormatParameters(
                    payloadType: 96,
                    parameters: [
                        FormatParameter(name: "profile-level-id", value: "42e01f"),
                        FormatParameter(name: "packetization-mode", value: "1"), FormatParameter(name: "x"),
                    ])
            ])
        #expect(section.lines(starting: "a=fmtp") == ["a=fmtp:96 profile-level-id=42e01f;packetization-mode=1;x"])
    }

    @Test func rtcpFeedbackForEveryPayloadTypeAppliesToAllCodecs() throws {
        let section = try media(
            "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "a=rtcp-fb:96 nack pli",
            "a=rtcp-fb:* transport-cc")
        // Parsing orders codec attributes as serialization writes them: wildcard feedback first.
        #expect(
            section.codec(payloadType: 96)?.feedback == [
                RTCPFeedback(payloadType: nil, type: "transport-cc"),
                RTCPFeedback(payloadType: 96, type: "nack", parameter: "pli"),
            ])
        #expect(section.codec(payloadType: 97)?.feedback == [RTCPFeedback(payloadType: nil, type: "transport-cc")])
        #expect(
            section.lines(starting: "a=r") + section.lines(starting: "a=f") == [
                "a=rtcp-fb:* transport-cc", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96",
            ])
    }

    @Test func ssrcAndSsrcGroups() throws {
        let section = try media(
            "a=ssrc-group:SIM 1 2 3", "a=ssrc-group:FID 1 11", "a=ssrc:1 cname:abc", "a=ssrc:1 msid:s t", "a=ssrc:11 x")
        #expect(
            section.ssrcGroups == [
                SSRCGroup(semantics: "SIM", ssrcs: [1, 2, 3]), SSRCGroup(semantics: "FID", ssrcs: [1, 11]),
            ])
        #expect(
            section.ssrcAttributes == [
                SSRCAttribute(ssrc: 1, name: "cname", value: "abc"), SSRCAttribute(ssrc: 1, name: "msid", value: "s t"),
                SSRCAttribute(ssrc: 11, name: "x"),
            ])
        #expect(section.ssrcs == [1, 2, 3, 11])
        #expect(section.retransmissionSSRCPairs == [RetransmissionSSRCPair(media: 1, retransmission: 11)])
        #expect(section.canonicalName(ofSSRC: 1) == "abc")
        #expect(section.canonicalName(ofSSRC: 11) == nil)
    }

    @Test func simulcastWithAlternativesAndBothDirections() throws {
        let section = try media("a=simulcast:recv 1,~2;3 send 4")
        #expect(
            section.simulcast
                == Simulcast(
                    send: [[Simulcast.Stream(rid: "4")]],
                    receive: [
                        [Simulcast.Stream(rid: "1"), Simulcast.Stream(rid: "2", paused: true)],
                        [Simulcast.Stream(rid: "3")],
                    ]))
        #expect(section.lines(starting: "a=simulcast") == ["a=simulcast:send 4 recv 1,~2;3"])
    }

    @Test func fingerprintBytesAndHex() throws {
        let section = try media("a=fingerprint:SHA-1 0a:FF:10")
        #expect(section.fingerprints == [Fingerprint(hashFunction: "SHA-1", bytes: [0x0A, 0xFF, 0x10])])
        #expect(section.lines(starting: "a=fingerprint") == ["a=fingerprint:SHA-1 0A:FF:10"])
    }

    @Test func propertyAttributesAndSetupRoles() throws {
        let section = try media("a=rtcp-mux", "a=rtcp-rsize", "a=end-of-candidates", "a=setup:holdconn", "a=inactive")
        #expect(section.rtcpMux && section.rtcpReducedSize && section.endOfCandidates)
        #expect(section.setup == .holdconn)
        #expect(section.direction == .inactive)
        #expect(SetupRole.actpass.answerRole == .active)
        #expect(SetupRole.active.answerRole == .passive)
        #expect(SetupRole.passive.answerRole == .active)
    }

    @Test func malformedKnownAttributesAreKeptAsWritten() throws {
        let broken = [
            "a=rtpmap:300 VP8/90000", "a=rtpmap:96 VP8", "a=fmtp:x apt=96", "a=rtcp-fb:96", "a=extmap:x urn:a",
            "a=extmap:1/sideways urn:a", "a=ssrc:abc cname:x", "a=ssrc-group:FID 1 x", "a=fingerprint:sha-256 ABC",
            "a=setup:sometimes", "a=rid:f", "a=simulcast:send", "a=candidate:1 1 udp", "a=msid:a b c", "a=mid",
            "a=rtcp-mux:yes", "a=x-custom:anything at all",
        ]
        let section = try media(broken)
        #expect(
            section.otherAttributes.map { attribute in
                attribute.value.map { "a=\(attribute.name):\($0)" } ?? "a=\(attribute.name)"
            } == broken)
        #expect(section.rtpMaps.isEmpty && section.extensionMaps.isEmpty && section.candidates.isEmpty)
        #expect(section.mid == nil && section.setup == nil && !section.rtcpMux)
    }

    private func media(_ attributes: [String]) throws -> MediaDescription {
        let text =
            "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
            + attributes.map { $0 + "\n" }.joined()
        return try SessionDescription(parsing: text).media[0]
    }
}

extension MediaDescription {
    /// This section's serialized lines that start with `prefix`.
    func lines(starting prefix: String) -> [String] {
        var session = SessionDescription(origin: Origin(sessionID: 1, sessionVersion: 1))
        session.media = [self]
        return session.text.split(separator: "\r\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }
}

@Suite struct SessionLevelAttributeTests {
    @Test func sessionLevelAttributesApplyToEverySectionUnlessOverridden() throws {
        let text = """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=ice-lite
            a=ice-ufrag:sEss
            a=ice-pwd:sessionpasswordsessionpw
            a=fingerprint:sha-256 01:02
            a=setup:passive
            a=sendonly
            a=extmap:5 urn:ietf:params:rtp-hdrext:sdes:mid
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            a=rtpmap:111 opus/48000/2
            m=video 9 UDP/TLS/RTP/SAVPF 96
            a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid
            a=setup:active
            a=recvonly
            a=rtpmap:96 VP8/90000

            """
        let session = try SessionDescription(parsing: text)
        #expect(session.iceLite)
        #expect(session.media[0].iceUfrag == nil)
        let credentials = ICECredentials(usernameFragment: "sEss", password: "sessionpasswordsessionpw")
        #expect(session.iceCredentials(forMediaAt: 0) == credentials)
        #expect(session.iceCredentials(forMediaAt: 1) == credentials)
        #expect(session.fingerprints(forMediaAt: 1) == [Fingerprint(hashFunction: "sha-256", bytes: [1, 2])])
        #expect(session.setup(forMediaAt: 0) == .passive)
        #expect(session.setup(forMediaAt: 1) == .active)
        #expect(session.direction(forMediaAt: 0) == .sendOnly)
        #expect(session.direction(forMediaAt: 1) == .receiveOnly)
        #expect(session.extensionID(for: ExtensionMap.URI.mid, inMediaAt: 0) == 5)
        #expect(session.extensionID(for: ExtensionMap.URI.mid, inMediaAt: 1) == 9)
        #expect(session.media[1].extensionID(for: ExtensionMap.URI.mid) == 9)
        #expect(session.media[0].extensionID(for: ExtensionMap.URI.mid) == nil)

        // An answer to an ICE-lite, setup:passive offer is the DTLS client and takes the session-level extmap.
        let answer = SessionDescription.answer(
            to: session,
            configuration: AnswerConfiguration(iceCredentials: credentials, fingerprints: [], sessionID: 1))
        #expect(answer.session.media.map(\.setup) == [.active, .passive])
        #expect(answer.session.media.map(\.direction) == [.receiveOnly, .inactive])
        #expect(answer.session.media[0].extensionMaps == [ExtensionMap(id: 5, uri: ExtensionMap.URI.mid)])
    }
}
