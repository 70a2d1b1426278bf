import MediaTypes
import RTP
import SDP
import Testing
@testable import WebRTCTransport

/// The router without sockets: an aiortc-like offer (video mid 0 with RTX, audio mid 1), its
/// answer, and hand-built packets. Each VP8 frame is one packet whose payload after the
/// descriptor is the frame tag (P bit clear for a keyframe) and the frame number.
@Suite struct TrackRouterTests {
    static let offerText = """
        v=0\r
        o=- 1 1 IN IP4 0.0.0.0\r
        s=-\r
        t=0 0\r
        a=group:BUNDLE 0 1\r
        m=video 9 UDP/TLS/RTP/SAVPF 97 98\r
        c=IN IP4 0.0.0.0\r
        a=sendonly\r
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r
        a=mid:0\r
        a=rtcp-mux\r
        a=ssrc-group:FID 1000 2000\r
        a=ssrc:1000 cname:peer\r
        a=ssrc:2000 cname:peer\r
        a=rtpmap:97 VP8/90000\r
        a=rtcp-fb:97 nack\r
        a=rtcp-fb:97 nack pli\r
        a=rtpmap:98 rtx/90000\r
        a=fmtp:98 apt=97\r
        a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r
        a=end-of-candidates\r
        a=ice-ufrag:abcd\r
        a=ice-pwd:abcdefghijklmnopqrstuv\r
        a=fingerprint:sha-256 B1:1D:06:31:FA:82:FC:EF:25:47:9B:FE:02:B0:56:CD:94:45:11:D8:73:37:AA:86:F6:66:95:35:3B:AD:87:7C\r
        a=setup:actpass\r
        m=audio 9 UDP/TLS/RTP/SAVPF 96\r
        c=IN IP4 0.0.0.0\r
        a=sendonly\r
        a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid\r
        a=mid:1\r
        a=rtcp-mux\r
        a=ssrc:3000 cname:peer\r
        a=rtpmap:96 opus/48000/2\r
        a=ice-ufrag:abcd\r
        a=ice-pwd:abcdefghijklmnopqrstuv\r
        a=fingerprint:sha-256 B1:1D:06:31:FA:82:FC:EF:25:47:9B:FE:02:B0:56:CD:94:45:11:D8:73:37:AA:86:F6:66:95:35:3B:AD:87:7C\r
        a=setup:actpass\r

        """

    static func router() throws -> TrackRouter {
        let offer = try SessionDescription(parsing: offerText)
        let answer = SessionDescription.answer(
            to: offer,
            configuration: AnswerConfiguration(
                iceCredentials: ICECredentials(usernameFragment: "wxyz", password: "0123456789012345678901"),
                fingerprints: [], sessionID: 7))
        return TrackRouter(
            offer: offer, answer: answer.session,
            jitterBuffer: JitterBuffer.Configuration(reorderWindow: .packets(10), keyframeRetryInterval: .zero))
    }

    static func video(_ frame: Int, sequence: UInt16, ssrc: UInt32 = 1000, mid: String? = nil) -> RTPPacket {
        var extensions = RTPHeaderExtensions()
        if let mid { extensions.setMID(mid, id: 1) }
        return RTPPacket(
            payloadType: 97, sequenceNumber: sequence, timestamp: UInt32(frame) * 3000, ssrc: ssrc, marker: true,
            payload: [0x10, frame == 0 ? 0x00 : 0x01, UInt8(frame)], extensions: extensions)
    }

    static func audio(_ frame: Int, ssrc: UInt32 = 3000) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: UInt16(frame), timestamp: UInt32(frame) * 960, ssrc: ssrc,
                  marker: false, payload: [0xFC, UInt8(frame)])
    }

    static func at(_ milliseconds: Int64) -> MediaTime { .milliseconds(milliseconds) }

    @Test func routesByMIDThenByLearnedOrAnnouncedSSRC() throws {
        var router = try Self.router()
        #expect(router.tracks.map(\.description) == ["video track mid 0", "audio track mid 1"])
        // SSRC 0xAAAA is announced nowhere: the MID extension names the track and teaches the SSRC.
        var frames = router.receive(Self.video(0, sequence: 10, ssrc: 0xAAAA, mid: "0"), arrival: Self.at(0))
        frames += router.receive(Self.video(1, sequence: 11, ssrc: 0xAAAA), arrival: Self.at(33))
        // a=ssrc:3000 routes audio without any extension.
        frames += router.receive(Self.audio(0), arrival: Self.at(40))
        #expect(frames.map(\.track.mid) == ["0", "0", "1"])
        #expect(frames.map(\.frame.codec) == [.vp8, .vp8, .opus])
        #expect(frames.map(\.frame.data) == [[0x00, 0], [0x01, 1], [0xFC, 0]])
        #expect(frames.map(\.frame.track) == [TrackID("0"), TrackID("0"), TrackID("1")])
        // Unknown SSRC, no MID, a payload type nobody negotiated.
        let stray = RTPPacket(payloadType: 111, sequenceNumber: 1, timestamp: 0, ssrc: 0xBBBB, marker: true, payload: [1])
        #expect(router.receive(stray, arrival: Self.at(50)).isEmpty)
        #expect(router.counters.unroutablePackets == 1)
        #expect(router.counters.packetsRouted == 3)
    }

    @Test func nackedPacketRestoredFromRTXFillsTheHole() throws {
        var router = try Self.router()
        var frames = router.receive(Self.video(0, sequence: 10), arrival: Self.at(0))
        frames += router.receive(Self.video(2, sequence: 12), arrival: Self.at(66))
        #expect(frames.map(\.frame.data) == [[0x00, 0]])
        let feedback = router.feedback(senderSSRC: 0x7E55, now: Self.at(70))
        #expect(feedback == [.nack(GenericNACK(senderSSRC: 0x7E55, mediaSSRC: 1000, lostSequenceNumbers: [11]))])
        // RFC 4588: RTX SSRC 2000 (FID), payload type 98, the original sequence number first.
        let original = Self.video(1, sequence: 11)
        let rtx = RTPPacket(payloadType: 98, sequenceNumber: 500, timestamp: original.timestamp, ssrc: 2000,
                            marker: true, payload: [0, 11] + original.payload)
        frames = router.receive(rtx, arrival: Self.at(90))
        #expect(frames.map(\.frame.data) == [[0x01, 1], [0x01, 2]])
        #expect(router.counters.retransmissionsReceived == 1)
        #expect(router.jitterStatistics[TrackID("0")]?.packetsRecovered == 1)
        // A padding-only RTX packet (a bandwidth probe) carries nothing to restore.
        _ = router.receive(RTPPacket(payloadType: 98, sequenceNumber: 501, timestamp: 0, ssrc: 2000, marker: false, payload: []),
                           arrival: Self.at(95))
        #expect(router.counters.retransmissionProbes == 1)
        #expect(router.feedback(senderSSRC: 0x7E55, now: Self.at(200)).isEmpty)
    }

    @Test func keyframeRequestBecomesOnePLIOnNegotiatedTracks() throws {
        var router = try Self.router()
        _ = router.receive(Self.video(0, sequence: 10), arrival: Self.at(0))
        _ = router.receive(Self.audio(0), arrival: Self.at(0))
        let accepted = [TrackID("0"), TrackID("1"), TrackID("9")].map { router.requestKeyframe(track: $0) }
        // Audio is known but negotiated no PLI; there is no track "9".
        #expect(accepted == [true, true, false])
        let feedback = router.feedback(senderSSRC: 1, now: Self.at(10))
        #expect(feedback == [.pictureLossIndication(PictureLossIndication(senderSSRC: 1, mediaSSRC: 1000))])
        #expect(router.feedback(senderSSRC: 1, now: Self.at(20)).isEmpty)
    }

    @Test func receptionReportsCountLossPerInterval() throws {
        var router = try Self.router()
        // Sequence 100...109 without 103 and 107, arriving exactly on the media clock: no jitter.
        for sequence in 100...109 where sequence != 103 && sequence != 107 {
            var packet = Self.video(sequence - 100, sequence: UInt16(sequence))
            packet.payload[1] = 0x00
            _ = router.receive(packet, arrival: MediaTime(value: Int64(sequence - 100) + 30, timescale: 30))
        }
        let ntp: UInt64 = 0x1122_3344_5566_7788
        router.receive(SenderReport(ssrc: 1000, ntpTimestamp: ntp, rtpTimestamp: 0, packetCount: 8, octetCount: 0, reports: []),
                       arrival: Self.at(2000))
        let reports = router.receptionReports(now: Self.at(2500))
        #expect(reports == [ReceptionReport(
            ssrc: 1000, fractionLost: 51, cumulativeLost: 2, extendedHighestSequenceNumber: 109, jitter: 0,
            lastSenderReport: 0x3344_5566, delaySinceLastSenderReport: 32768)])
        // The next interval had no loss.
        _ = router.receive(Self.video(10, sequence: 110), arrival: Self.at(3000))
        #expect(router.receptionReports(now: Self.at(3100)).first?.fractionLost == 0)
        #expect(router.receptionReports(now: Self.at(3100)).first?.cumulativeLost == 2)
    }
}
