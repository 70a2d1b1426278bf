import SDP
import Testing

@Suite struct AnswerTests {
    private static let botCredentials = ICECredentials(usernameFragment: "b0tU", password: "cmVjb3JkZXJwYXNzd29yZDAx")
    private static let botFingerprint = Fingerprint(hashFunction: "sha-256", bytes: (0..<32).map { UInt8($0) })

    private func configuration() -> AnswerConfiguration {
        AnswerConfiguration(iceCredentials: Self.botCredentials, fingerprints: [Self.botFingerprint], sessionID: 4242)
    }

    @Test func answerToTheJanusVP8OfferIsExact() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferVP8)
        let answer = SessionDescription.answer(to: offer, configuration: configuration())
        #expect(answer.rejectedMedia.isEmpty)
        let fingerprint = "a=fingerprint:sha-256 " + Self.botFingerprint.hexString
        let transport = [
            "a=ice-ufrag:b0tU", "a=ice-pwd:cmVjb3JkZXJwYXNzd29yZDAx", "a=ice-options:trickle", fingerprint,
            "a=setup:active",
        ]
        let expected =
            [
                "v=0", "o=- 4242 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=mid:0", "a=recvonly",
            ]
            + transport + [
                "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtcp-mux", "a=rtpmap:96 VP8/90000",
                "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:1", "a=recvonly",
            ] + transport + [
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            ]
        #expect(answer.session.text == expected.map { $0 + "\r\n" }.joined())

        let reparsed = try SessionDescription(parsing: answer.session.text)
        #expect(reparsed == answer.session)
        #expect(reparsed.iceCredentials(forMediaAt: 1) == Self.botCredentials)
        #expect(reparsed.media.map(\.mid) == offer.media.map(\.mid))
    }

    @Test func h264AnswerEchoesTheOfferedFormatParameters() throws {
        let answer = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferH264), configuration: configuration())
        let video = answer.session.media[0]
        #expect(video.formats == ["107", "108"])
        #expect(
            video.codec(payloadType: 107)?.parameters == [
                FormatParameter(name: "profile-level-id", value: "42001f"),
                FormatParameter(name: "packetization-mode", value: "1"),
            ])
        #expect(video.retransmissionPayloadTypes == [107: 108])
    }

    @Test func inactiveOfferGetsAnInactiveAnswer() throws {
        let answer = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferInactive), configuration: configuration())
        #expect(answer.session.media.map(\.direction) == [.inactive, .inactive])
        #expect(answer.session.media.map(\.port) == [9, 9])
    }

    @Test func dataChannelIsRejectedAndLeftOutOfTheBundle() throws {
        let offer = try Fixture.parsed(Fixture.aiortcOfferWithDataChannel)
        let answer = SessionDescription.answer(to: offer, configuration: configuration())
        #expect(
            answer.rejectedMedia == [Answer.RejectedMedia(index: 2, mid: "2", reason: .unsupportedKind(.application))])
        let data = answer.session.media[2]
        #expect(data.mediaLine == "m=application 0 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(data.mid == "2")
        // aiortc refuses an answer whose rejected sections lack ICE and DTLS attributes.
        #expect(answer.session.iceCredentials(forMediaAt: 2) == Self.botCredentials)
        #expect(data.setup == .active)
        #expect(!data.rtcpMux)
        #expect(answer.session.bundleGroups == [MediaGroup(semantics: "BUNDLE", mids: ["0", "1"])])
        // aiortc offers sendrecv: the bot only receives.
        #expect(answer.session.media[0].direction == .receiveOnly)
        // Both H.264 profiles offered with packetization-mode=1 are accepted, each with its RTX.
        #expect(answer.session.media[0].formats == ["97", "98", "99", "100", "101", "102"])
        #expect(answer.session.media[1].formats == ["96"])
    }

    @Test func chromeOfferKeepsOnlySupportedCodecs() throws {
        let answer = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.chromeOfferSimulcast), configuration: configuration())
        #expect(answer.session.media[0].formats == ["111"])
        // VP8, H.264 with packetization-mode=1 (three profiles), their RTX; not mode 0, VP9, AV1, RED, ULPFEC.
        #expect(
            answer.session.media[1].formats == ["96", "97", "102", "103", "106", "107", "127", "125", "112", "113"])
        #expect(answer.session.media[1].rtcpReducedSize)
        #expect(answer.session.media[1].extensionMaps.map(\.id) == [2, 4])
        #expect(answer.session.media[1].direction == .receiveOnly)
    }

    @Test func customCodecListRejectsSectionsWithoutASupportedCodec() throws {
        var configuration = configuration()
        configuration.codecs = [.opus]
        configuration.acceptsRetransmission = false
        let answer = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferH264), configuration: configuration)
        #expect(answer.rejectedMedia == [Answer.RejectedMedia(index: 0, mid: "0", reason: .unsupportedKind(.video))])

        configuration.codecs = [.vp8, .opus]
        let vp8Only = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferH264), configuration: configuration)
        #expect(
            vp8Only.rejectedMedia == [
                Answer.RejectedMedia(
                    index: 0, mid: "0", reason: .noSupportedCodec(offered: ["H264/90000", "rtx/90000"]))
            ])
        #expect(vp8Only.session.media[0].port == 0)
        #expect(vp8Only.session.media[0].formats == ["107", "108"])
        #expect(vp8Only.session.bundleGroups == [MediaGroup(semantics: "BUNDLE", mids: ["1"])])

        let noRTX = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferVP8), configuration: configuration)
        #expect(noRTX.session.media[0].formats == ["96"])
    }

    @Test func setupRoleCandidatesAndRejectedOfferSections() throws {
        var offer = try Fixture.parsed(Fixture.janusOfferVP8)
        offer.media[0].setup = .active
        offer.media[1].port = 0
        var configuration = configuration()
        configuration.candidates = [try ICECandidate(parsing: "candidate:1 1 udp 2130706431 192.0.2.5 40000 typ host")]
        configuration.endOfCandidates = true
        let answer = SessionDescription.answer(to: offer, configuration: configuration)
        #expect(answer.session.media[0].setup == .passive)
        #expect(answer.session.media[0].candidates == configuration.candidates)
        #expect(answer.session.media[0].endOfCandidates)
        #expect(answer.rejectedMedia == [Answer.RejectedMedia(index: 1, mid: "1", reason: .rejectedInOffer)])
    }

    /// A renegotiation answers Janus' next `actpass` offer in the role the first answer took,
    /// with the next session version.
    @Test func renegotiationKeepsTheEstablishedSetupRole() throws {
        var configuration = configuration()
        configuration.setup = .passive
        configuration.sessionVersion = 2
        let answer = SessionDescription.answer(
            to: try Fixture.parsed(Fixture.janusOfferInactive), configuration: configuration)
        #expect(answer.session.media.map(\.setup) == [.passive, .passive])
        #expect(answer.session.origin.sessionID == 4242)
        #expect(answer.session.origin.sessionVersion == 2)
        #expect(answer.session.text.contains("o=- 4242 2 IN IP4 0.0.0.0\r\n"))
    }
}
