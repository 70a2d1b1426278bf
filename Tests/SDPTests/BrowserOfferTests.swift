import SDP
import Testing

@Suite struct BrowserOfferTests {
    @Test func chromeSimulcastOfferHasRidsAndSimulcast() throws {
        let offer = try Fixture.parsed(Fixture.chromeOfferSimulcast)
        let video = offer.media[1]
        #expect(
            video.rids == [
                RID(id: "f", direction: .send),
                RID(
                    id: "h", direction: .send,
                    restrictions: [
                        FormatParameter(name: "pt", value: "96,102"), FormatParameter(name: "max-width", value: "640"),
                        FormatParameter(name: "max-height", value: "360"),
                    ]),
                RID(id: "q", direction: .send),
            ])
        #expect(video.rids[1].payloadTypes == [96, 102])
        #expect(video.rids[0].payloadTypes.isEmpty)
        #expect(
            video.simulcast
                == Simulcast(send: [
                    [Simulcast.Stream(rid: "f")], [Simulcast.Stream(rid: "h")],
                    [Simulcast.Stream(rid: "q", paused: true)],
                ]))
        #expect(video.extensionID(for: ExtensionMap.URI.rtpStreamID) == 10)
        #expect(video.extensionID(for: ExtensionMap.URI.repairedRTPStreamID) == 11)
        #expect(
            video.extensionMaps.last
                == ExtensionMap(
                    id: 12, direction: .sendOnly, uri: "http://example.com/experimental-extension",
                    attributes: "extra attributes"))
        #expect(video.rtcpReducedSize)
        #expect(video.ssrcs.isEmpty)
    }

    @Test func chromeVideoCodecsAndRTXMapping() throws {
        let video = try Fixture.parsed(Fixture.chromeOfferSimulcast).media[1]
        let codecs = video.codecs
        #expect(codecs.count == 25)
        #expect(codecs.filter { $0.name == "H264" }.map(\.payloadType) == [102, 104, 106, 108, 127, 39, 112])
        #expect(
            video.retransmissionPayloadTypes == [
                96: 97, 102: 103, 104: 105, 106: 107, 108: 109, 127: 125, 39: 40, 45: 46, 98: 99, 100: 101, 112: 113,
                116: 117,
            ])
        let h264Mode0 = try #require(video.codec(payloadType: 104))
        #expect(h264Mode0.parameters.value(of: "packetization-mode") == "0")
        #expect(h264Mode0.feedback.count == 5)
        #expect(video.codec(payloadType: 118)?.name == "ulpfec")
    }

    @Test func chromeAudioHasStaticPayloadTypesRedAndTelephoneEvent() throws {
        let audio = try Fixture.parsed(Fixture.chromeOfferSimulcast).media[0]
        #expect(
            audio.codecs.map(\.name) == [
                "opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event",
            ])
        #expect(
            audio.codec(payloadType: 111)?.parameters == [
                FormatParameter(name: "minptime", value: "10"), FormatParameter(name: "useinbandfec", value: "1"),
            ])
        #expect(audio.codec(payloadType: 63)?.parameters == [FormatParameter(name: "111/111")])
        #expect(audio.ssrcAttributes.map(\.name) == ["cname", "msid"])
        #expect(
            audio.ssrcAttributes[1].value == "3a4b1c2d-5e6f-4a7b-8c9d-0e1f2a3b4c5d 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
        )
    }

    @Test func chromeCandidatesWithTCPTypeAndRelatedAddress() throws {
        let audio = try Fixture.parsed(Fixture.chromeOfferSimulcast).media[0]
        #expect(audio.candidates.count == 3)
        let tcp = audio.candidates[1]
        #expect(tcp.transport == "tcp")
        #expect(tcp.tcpType == "active")
        #expect(tcp.port == 9)
        let srflx = audio.candidates[2]
        #expect(srflx.type == .serverReflexive)
        #expect(srflx.relatedAddress == "192.0.2.10")
        #expect(srflx.relatedPort == 54321)
        #expect(srflx.generation == 0)
        #expect(srflx.extensions == [ICECandidate.Extension(name: "network-id", value: "1")])
    }

    @Test func aiortcOfferWithDataChannelAndStaticAudioTypes() throws {
        let offer = try Fixture.parsed(Fixture.aiortcOfferWithDataChannel)
        #expect(offer.bundleGroups.first?.mids == ["0", "1", "2"])
        #expect(offer.media.map(\.kind) == [.video, .audio, .application])
        let audio = offer.media[1]
        #expect(
            audio.codecs.map { "\($0.payloadType) \($0.name)/\($0.clockRate)" } == [
                "96 opus/48000", "9 G722/8000", "0 PCMU/8000", "8 PCMA/8000",
            ])
        let data = offer.media[2]
        #expect(data.formats == ["webrtc-datachannel"])
        #expect(data.transportProtocol == "UDP/DTLS/SCTP")
        #expect(data.codecs.isEmpty)
        #expect(
            data.otherAttributes == [
                Attribute(name: "sctp-port", value: "5000"), Attribute(name: "max-message-size", value: "262144"),
            ])
        let video = offer.media[0]
        #expect(video.candidates.map(\.address) == ["192.0.2.2", "fd00::2"])
        #expect(video.fingerprints.first?.bytes.prefix(4) == [0x23, 0x9B, 0x7B, 0x0F])
        #expect(video.fingerprints.map(\.bytes.count) == [32, 48, 64])
        #expect(
            offer.iceCredentials(forMediaAt: 2)
                == ICECredentials(usernameFragment: "F5jm", password: "lBvMUGCdv5hZpO890rjPe6"))
        #expect(video.retransmissionPayloadTypes == [97: 98, 99: 100, 101: 102])
    }

    @Test func staticPayloadTypeWithoutRtpmap() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8 101\r\n"
        let audio = try SessionDescription(parsing: text).media[0]
        // 101 is dynamic and has no rtpmap: it is left out.
        #expect(
            audio.codecs == [
                CodecDescription(payloadType: 0, name: "PCMU", clockRate: 8000),
                CodecDescription(payloadType: 8, name: "PCMA", clockRate: 8000),
            ])
    }
}
