import SDP
import Testing

@Suite struct JanusOfferTests {
    @Test func sessionLevelOfTheVP8SubscriberOffer() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferVP8)
        #expect(
            offer.origin
                == Origin(
                    username: "-", sessionID: 1_795_681_404_027_956, sessionVersion: 1, address: "127.0.0.1"))
        #expect(offer.sessionName == "VideoRoom 1234")
        #expect(offer.timing == Timing(start: 0, stop: 0))
        #expect(offer.bundleGroups == [MediaGroup(semantics: "BUNDLE", mids: ["0", "1"])])
        #expect(offer.iceOptions == ["trickle"])
        #expect(offer.fingerprints == [Fixture.sampleFingerprint])
        #expect(offer.mediaStreamIDSemantics == [MediaStreamIDSemantic(semantic: "WMS", identifiers: ["*"])])
        #expect(offer.otherAttributes == [Attribute(name: "extmap-allow-mixed")])
        #expect(offer.iceLite == false)
        #expect(offer.media.count == 2)
    }

    @Test func videoSectionOfTheVP8SubscriberOffer() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferVP8)
        let video = offer.media[0]
        #expect(video.kind == .video)
        #expect(video.port == 9)
        #expect(video.transportProtocol == "UDP/TLS/RTP/SAVPF")
        #expect(video.formats == ["96", "97"])
        #expect(video.connection == Connection(address: "127.0.0.1"))
        #expect(video.mid == "0")
        #expect(video.direction == .sendOnly)
        #expect(video.rtcpMux)
        #expect(!video.rtcpReducedSize)
        #expect(video.setup == .actpass)

        let codecs = video.codecs
        #expect(codecs.map(\.payloadType) == [96, 97])
        #expect(codecs[0].name == "VP8")
        #expect(codecs[0].clockRate == 90000)
        #expect(
            codecs[0].feedback.map { [$0.type, $0.parameter ?? ""] } == [
                ["ccm", "fir"], ["nack", ""], ["nack", "pli"], ["goog-remb", ""], ["transport-cc", ""],
            ])
        #expect(codecs[1].isRetransmission)
        #expect(codecs[1].associatedPayloadType == 96)
        #expect(video.retransmissionPayloadTypes == [96: 97])

        #expect(video.extensionID(for: ExtensionMap.URI.mid) == 4)
        #expect(video.extensionID(for: ExtensionMap.URI.absoluteSendTime) == 2)
        #expect(video.extensionID(for: ExtensionMap.URI.transportWideCC) == 3)
        #expect(video.extensionID(for: ExtensionMap.URI.audioLevel) == nil)

        #expect(video.ssrcs == [471_029_127, 2_641_167_689])
        #expect(
            video.retransmissionSSRCPairs == [RetransmissionSSRCPair(media: 471_029_127, retransmission: 2_641_167_689)]
        )
        #expect(video.canonicalName(ofSSRC: 2_641_167_689) == "janus")
        #expect(video.mediaStreamIDs == [MediaStreamID(streamID: "janus", trackID: "janus0")])
    }

    @Test func audioSectionOfTheVP8SubscriberOffer() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferVP8)
        let audio = offer.media[1]
        #expect(audio.kind == .audio)
        #expect(audio.mid == "1")
        #expect(
            audio.codecs == [
                CodecDescription(
                    payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
                    feedback: [RTCPFeedback(payloadType: 111, type: "transport-cc")])
            ])
        #expect(offer.extensionID(for: ExtensionMap.URI.audioLevel, inMediaAt: 1) == 1)
        #expect(offer.extensionID(for: ExtensionMap.URI.mid, inMediaAt: 1) == 4)
        #expect(audio.ssrcs == [1_602_414_975])
        #expect(audio.retransmissionSSRCPairs.isEmpty)
    }

    @Test func credentialsResolveMediaLevelOverSessionLevel() throws {
        var offer = try Fixture.parsed(Fixture.janusOfferVP8)
        let janus = ICECredentials(usernameFragment: "Jn5u", password: "Q2xpZW50UGFzc3dvcmQxMjM0")
        #expect(offer.iceCredentials(forMediaAt: 0) == janus)
        // The fingerprint is only at session level in Janus offers.
        #expect(offer.media[0].fingerprints.isEmpty)
        #expect(offer.fingerprints(forMediaAt: 1) == [Fixture.sampleFingerprint])
        #expect(offer.setup(forMediaAt: 1) == .actpass)

        offer.iceUfrag = "sess"
        offer.icePassword = "sessionpassword"
        offer.media[1].iceUfrag = nil
        offer.media[1].icePassword = nil
        let own = Fingerprint(hashFunction: "sha-256", bytes: [1, 2, 3])
        offer.media[0].fingerprints = [own]
        #expect(offer.iceCredentials(forMediaAt: 0) == janus)
        #expect(
            offer.iceCredentials(forMediaAt: 1) == ICECredentials(usernameFragment: "sess", password: "sessionpassword")
        )
        #expect(offer.fingerprints(forMediaAt: 0) == [own])
        #expect(offer.fingerprints(forMediaAt: 1) == [Fixture.sampleFingerprint])
        #expect(
            offer.iceCredentials(forMediaAt: 7) == ICECredentials(usernameFragment: "sess", password: "sessionpassword")
        )
        #expect(offer.direction(forMediaAt: 7) == .sendReceive)
    }

    @Test func sanitizedPlaceholdersAreKeptAsUnparsedAttributes() throws {
        let offer = try SessionDescription(parsing: Fixture.text(Fixture.janusOfferVP8))
        #expect(offer.fingerprints.isEmpty)
        #expect(offer.otherAttributes.contains(Attribute(name: "fingerprint", value: "sha-256 <fingerprint>")))
        #expect(offer.media[0].iceUfrag == "<ufrag>")
    }

    @Test func h264OfferCarriesProfileAndPacketizationMode() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferH264)
        let video = offer.media[0]
        #expect(video.formats == ["107", "108"])
        let h264 = try #require(video.codec(payloadType: 107))
        #expect(h264.name == "H264")
        #expect(
            h264.parameters == [
                FormatParameter(name: "profile-level-id", value: "42001f"),
                FormatParameter(name: "packetization-mode", value: "1"),
            ])
        #expect(h264.parameters.value(of: "PACKETIZATION-MODE") == "1")
        #expect(video.retransmissionPayloadTypes == [107: 108])
        #expect(
            video.retransmissionSSRCPairs == [RetransmissionSSRCPair(media: 119_568_988, retransmission: 4_057_567_693)]
        )
    }

    @Test func updatedOfferAfterUnpublishIsInactiveWithoutSources() throws {
        let offer = try Fixture.parsed(Fixture.janusOfferInactive)
        #expect(offer.origin.sessionVersion == 2)
        #expect(offer.media.map(\.direction) == [.inactive, .inactive])
        #expect(offer.media.allSatisfy { $0.ssrcs.isEmpty && $0.mediaStreamIDs.isEmpty })
        #expect(offer.media[1].extensionMaps == [ExtensionMap(id: 4, uri: ExtensionMap.URI.mid)])
    }

    @Test func aiortcAnswerCarriesCandidatesAndThreeFingerprints() throws {
        let answer = try Fixture.parsed(Fixture.aiortcAnswerVP8)
        let video = answer.media[0]
        #expect(video.port == 33715)
        #expect(video.direction == .receiveOnly)
        #expect(video.setup == .active)
        #expect(video.fingerprints.map(\.hashFunction) == ["sha-256", "sha-384", "sha-512"])
        #expect(
            video.candidates == [
                ICECandidate(
                    foundation: "16572de626da4e5384a0ce2d0d93678a", component: 1, transport: "udp",
                    priority: 2_130_706_431,
                    address: "127.0.0.1", port: 33715, type: .host)
            ])
        #expect(video.endOfCandidates)
        #expect(video.otherAttributes == [Attribute(name: "rtcp", value: "9 IN IP4 0.0.0.0")])
        #expect(answer.mediaStreamIDSemantics == [MediaStreamIDSemantic(semantic: "WMS", identifiers: ["*"])])
    }
}
