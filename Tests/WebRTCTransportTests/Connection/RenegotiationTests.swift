import Foundation
import MediaTypes
import RTP
import SDP
import Testing
@testable import WebRTCTransport

/// Janus VideoRoom subscriber renegotiation without sockets: the first offer of a multistream
/// subscription (VP8 video mid 0, Opus audio mid 1), an offer after a second publisher joined
/// (its H.264 video as mid 2), and Janus' real offer after the first publisher left (its
/// sections `inactive`, their `a=ssrc` lines gone).
@Suite struct RenegotiationTests {
    static let fingerprint = (0..<32).map { _ in "AB" }.joined(separator: ":")

    /// The SDP module's Janus fixture with its sanitized placeholders filled in.
    static func janusOffer(_ name: String, fingerprint: String = fingerprint, ufrag: String = "janU") throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SDPTests/Fixtures/\(name).sdp")
        return try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "<fingerprint>", with: fingerprint)
            .replacingOccurrences(of: "<ufrag>", with: ufrag)
            .replacingOccurrences(of: "<pwd>", with: "janusjanusjanusjanus22")
    }

    static var first: String { get throws { try janusOffer("janus-subscriber-offer-vp8") } }
    static var allLeft: String { get throws { try janusOffer("janus-subscriber-offer-inactive") } }

    /// The first offer plus the H.264 video of Janus' H.264 fixture as mid 2, version 2.
    static func joined() throws -> String {
        var offer = try SessionDescription(parsing: first)
        var added = try SessionDescription(parsing: janusOffer("janus-subscriber-offer-h264")).media[0]
        added.mid = "2"
        offer.media.append(added)
        offer.groups = [MediaGroup(semantics: "BUNDLE", mids: ["0", "1", "2"])]
        offer.origin.sessionVersion = 2
        return offer.text
    }

    /// `joined()` after the first publisher left, as Janus writes it: its sections inactive
    /// without their sources, version 3.
    static func firstLeft() throws -> String {
        var offer = try SessionDescription(parsing: joined())
        for index in 0...1 {
            offer.media[index].direction = .inactive
            offer.media[index].ssrcAttributes = []
            offer.media[index].ssrcGroups = []
        }
        offer.origin.sessionVersion = 3
        return offer.text
    }

    // The sources the fixtures announce.
    static let videoSSRC: UInt32 = 471_029_127
    static let videoRTXSSRC: UInt32 = 2_641_167_689
    static let audioSSRC: UInt32 = 1_602_414_975
    static let h264SSRC: UInt32 = 119_568_988

    static let video0 = ReceivedTrack(mid: "0", kind: .video)
    static let audio1 = ReceivedTrack(mid: "1", kind: .audio)
    static let video2 = ReceivedTrack(mid: "2", kind: .video)

    static func answer(to offer: SessionDescription, version: UInt64 = 1) -> SessionDescription {
        var configuration = AnswerConfiguration(
            iceCredentials: ICECredentials(usernameFragment: "wxyz", password: "0123456789012345678901"),
            fingerprints: [], sessionID: 7)
        configuration.sessionVersion = version
        return SessionDescription.answer(to: offer, configuration: configuration).session
    }

    static func update(_ router: inout TrackRouter, to text: String) throws -> TrackChanges {
        let offer = try SessionDescription(parsing: text)
        return router.update(offer: offer, answer: answer(to: offer))
    }

    /// A one-packet VP8 frame (P bit clear for frame 0: a keyframe) whose data is the frame tag
    /// and the frame number; `mid` adds Janus' MID extension (id 4).
    static func vp8(_ frame: Int, sequence: UInt16, ssrc: UInt32 = videoSSRC, mid: String? = nil) -> RTPPacket {
        var extensions = RTPHeaderExtensions()
        if let mid { extensions.setMID(mid, id: 4) }
        return RTPPacket(
            payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(frame) * 3000, ssrc: ssrc, marker: true,
            payload: [0x10, frame == 0 ? 0x00 : 0x01, UInt8(frame)], extensions: extensions)
    }

    static func opus(_ frame: Int, ssrc: UInt32 = audioSSRC) -> RTPPacket {
        RTPPacket(payloadType: 111, sequenceNumber: UInt16(frame), timestamp: UInt32(frame) * 960, ssrc: ssrc,
                  marker: false, payload: [0xFC, UInt8(frame)])
    }

    /// A one-NAL H.264 IDR frame (payload type 107) carrying the MID extension.
    static func h264IDR(sequence: UInt16, mid: String) -> RTPPacket {
        var extensions = RTPHeaderExtensions()
        extensions.setMID(mid, id: 4)
        return RTPPacket(payloadType: 107, sequenceNumber: sequence, timestamp: 0, ssrc: h264SSRC, marker: true,
                         payload: [0x65, 0x88, 0x84, 0x21], extensions: extensions)
    }

    static func at(_ milliseconds: Int64) -> MediaTime { .milliseconds(milliseconds) }

    static func router() throws -> TrackRouter {
        let offer = try SessionDescription(parsing: first)
        return TrackRouter(
            offer: offer, answer: answer(to: offer),
            jitterBuffer: JitterBuffer.Configuration(reorderWindow: .packets(10), keyframeRetryInterval: .zero))
    }

    // MARK: Track router

    /// A publisher joins while video mid 0 waits for a lost packet: mid 0 keeps its jitter
    /// buffer (the RTX repair announced in the first offer fills the hole after the update),
    /// its statistics and the SSRC it learned from the MID extension; mid 2 is new and routes.
    @Test func joinKeepsContinuingTracksAndAddsTheNewOne() throws {
        var router = try Self.router()
        var frames = router.receive(Self.vp8(0, sequence: 10, mid: "0"), arrival: Self.at(0))
        frames += router.receive(Self.vp8(2, sequence: 12), arrival: Self.at(66))
        // An audio source announced nowhere, learned from the MID extension.
        frames += router.receive(Self.opus(0, ssrc: 0xA0D1).withMID("1"), arrival: Self.at(70))
        #expect(frames.map(\.track.mid) == ["0", "1"])

        let changes = try Self.update(&router, to: Self.joined())
        #expect(changes == TrackChanges(added: [Self.video2], removed: []))
        #expect(router.tracks == [Self.video0, Self.audio1, Self.video2])

        // Mid 0's buffer still waits for sequence 11 and asks for it.
        let feedback = router.feedback(senderSSRC: 1, now: Self.at(90))
        #expect(feedback == [.nack(GenericNACK(senderSSRC: 1, mediaSSRC: Self.videoSSRC, lostSequenceNumbers: [11]))])
        let original = Self.vp8(1, sequence: 11)
        let rtx = RTPPacket(payloadType: 97, sequenceNumber: 700, timestamp: original.timestamp, ssrc: Self.videoRTXSSRC,
                            marker: true, payload: [0, 11] + original.payload)
        frames = router.receive(rtx, arrival: Self.at(100))
        #expect(frames.map(\.frame.data) == [[0x01, 1], [0x01, 2]])
        #expect(router.jitterStatistics[TrackID("0")]?.packetsRecovered == 1)
        #expect(router.jitterStatistics[TrackID("0")]?.framesReleased == 3)
        #expect(router.counters.streamRestarts == 0)
        // The learned audio source still routes without an extension.
        frames = router.receive(Self.opus(1, ssrc: 0xA0D1), arrival: Self.at(110))
        #expect(frames.map(\.track.mid) == ["1"])
        // The joined publisher's H.264 routes to mid 2.
        frames = router.receive(Self.h264IDR(sequence: 1, mid: "2"), arrival: Self.at(120))
        #expect(frames.map(\.track) == [Self.video2])
        #expect(frames.map(\.frame.codec) == [.h264])
        #expect(frames.first?.frame.isKeyframe == true)
        // Receiver reports go on from the continuing streams' counts.
        let reports = router.receptionReports(now: Self.at(130))
        #expect(reports.first { $0.ssrc == Self.videoSSRC }?.extendedHighestSequenceNumber == 12)
        #expect(reports.first { $0.ssrc == Self.videoSSRC }?.cumulativeLost == 0)
    }

    /// The first publisher leaves (its sections become inactive): its tracks end, nothing of
    /// theirs is routed any more (by MID, announced or learned SSRC, or payload type), and the
    /// other publisher's track goes on.
    @Test func leaveEndsInactiveTracksOnly() throws {
        var router = try Self.router()
        _ = try Self.update(&router, to: Self.joined())
        _ = router.receive(Self.vp8(0, sequence: 10, mid: "0"), arrival: Self.at(0))
        _ = router.receive(Self.opus(0), arrival: Self.at(0))
        _ = router.receive(Self.h264IDR(sequence: 1, mid: "2"), arrival: Self.at(0))
        _ = router.requestKeyframe(track: TrackID("0"))
        let routed = router.counters.packetsRouted

        let changes = try Self.update(&router, to: Self.firstLeft())
        #expect(changes == TrackChanges(added: [], removed: [Self.video0, Self.audio1]))
        #expect(router.tracks == [Self.video2])
        #expect(router.jitterStatistics.keys.sorted { $0.rawValue < $1.rawValue } == [TrackID("2")])

        var frames = router.receive(Self.vp8(1, sequence: 11, mid: "0"), arrival: Self.at(40))
        frames += router.receive(Self.vp8(2, sequence: 12), arrival: Self.at(70))
        frames += router.receive(Self.opus(1), arrival: Self.at(70))
        #expect(frames.isEmpty)
        #expect(router.counters.unroutablePackets == 3)
        #expect(router.counters.packetsRouted == routed)
        // No feedback for an ended track, not even the keyframe asked for before.
        #expect(router.feedback(senderSSRC: 1, now: Self.at(80)).isEmpty)
        #expect(router.requestKeyframe(track: TrackID("0")) == false)
        var next = Self.h264IDR(sequence: 2, mid: "2")
        next.timestamp = 3000
        frames = router.receive(next, arrival: Self.at(90))
        #expect(frames.map(\.track) == [Self.video2])
    }

    /// Janus reuses an inactive section for a publisher who joins later: the mid's track comes
    /// back as a new one, with state of its own.
    @Test func reusedInactiveSectionIsANewTrack() throws {
        var router = try Self.router()
        _ = router.receive(Self.vp8(0, sequence: 10, mid: "0"), arrival: Self.at(0))
        #expect(try Self.update(&router, to: Self.allLeft) == TrackChanges(removed: [Self.video0, Self.audio1]))
        #expect(router.tracks.isEmpty)
        #expect(router.receive(Self.vp8(1, sequence: 11, mid: "0"), arrival: Self.at(33)).isEmpty)

        var offer = try SessionDescription(parsing: Self.first)
        offer.media[0].ssrcGroups = []
        offer.media[0].ssrcAttributes = [SSRCAttribute(ssrc: 0xBEEF, name: "cname", value: "janus")]
        offer.media[1].direction = .inactive
        offer.origin.sessionVersion = 3
        #expect(try Self.update(&router, to: offer.text) == TrackChanges(added: [Self.video0]))
        #expect(router.jitterStatistics.isEmpty)
        let frames = router.receive(Self.vp8(0, sequence: 5000, ssrc: 0xBEEF), arrival: Self.at(100))
        #expect(frames.map(\.frame.data) == [[0x00, 0]])
        #expect(router.jitterStatistics[TrackID("0")]?.framesReleased == 1)
        #expect(router.counters.streamRestarts == 0)
    }

    // MARK: Connection core

    static let local = TransportAddress(ip: .v4(0x7F00_0001), port: 42_000)

    static func core(offer: String) throws -> PeerConnectionCore {
        try PeerConnectionCore(
            offer: SessionDescription(parsing: offer), hostAddresses: [local],
            configuration: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42_000...42_000),
            certificate: DTLSCertificate(), now: .now)
    }

    static func events(_ outputs: [PeerConnectionCore.Output]) -> [PeerConnectionEvent] {
        outputs.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    /// Each later answer keeps our ICE credentials, fingerprint, DTLS role, candidates and
    /// session id, with the next session version, and says which tracks came and went.
    @Test func answersKeepTheTransportAndCountVersions() throws {
        let core = try Self.core(offer: Self.first)
        let first = core.answer
        _ = core.start(now: .now)

        let (joined, joinOutputs) = try core.renegotiate(offer: SessionDescription(parsing: Self.joined()))
        #expect(Self.events(joinOutputs) == [.tracksChanged(TrackChanges(added: [Self.video2]))])
        #expect(core.tracks == [Self.video0, Self.audio1, Self.video2])
        #expect(joined.media.map(\.direction) == [.receiveOnly, .receiveOnly, .receiveOnly])
        #expect(joined.bundleGroups.map(\.mids) == [["0", "1", "2"]])
        #expect(joined.media[2].rtpMaps.map(\.encodingName) == ["H264", "rtx"])

        let (left, leftOutputs) = try core.renegotiate(offer: SessionDescription(parsing: Self.firstLeft()))
        #expect(Self.events(leftOutputs) == [.tracksChanged(TrackChanges(removed: [Self.video0, Self.audio1]))])
        #expect(core.tracks == [Self.video2])
        #expect(left.media.map(\.direction) == [.inactive, .inactive, .receiveOnly])
        #expect(core.answer == left)

        for (answer, version) in [(joined, UInt64(2)), (left, 3)] {
            #expect(answer.origin.sessionID == first.origin.sessionID)
            #expect(answer.origin.sessionVersion == version)
            for section in answer.media {
                #expect(section.iceUfrag == first.media[0].iceUfrag)
                #expect(section.icePassword == first.media[0].icePassword)
                #expect(section.fingerprints == first.media[0].fingerprints)
                #expect(section.setup == .active)
                #expect(section.candidates == first.media[0].candidates)
            }
        }
        // Janus' real offer after everyone left: all inactive, the connection stays.
        let (empty, emptyOutputs) = try core.renegotiate(offer: SessionDescription(parsing: Self.allLeft))
        #expect(empty.media.map(\.port) == [9, 9])
        #expect(empty.media.map(\.direction) == [.inactive, .inactive])
        #expect(Self.events(emptyOutputs) == [.tracksChanged(TrackChanges(removed: [Self.video2]))])
        #expect(core.tracks.isEmpty)
    }

    /// As the DTLS server (the first offer said `active`), an `actpass` re-offer is still
    /// answered `passive`.
    @Test func keepsThePassiveRoleAgainstActpass() throws {
        let core = try Self.core(offer: Self.first.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:active"))
        #expect(core.answer.media.map(\.setup) == [.passive, .passive])
        let (answer, _) = try core.renegotiate(offer: SessionDescription(parsing: Self.joined()))
        #expect(answer.media.map(\.setup) == [.passive, .passive, .passive])
    }

    /// An ICE restart, a new certificate or a conflicting setup role is refused with the field
    /// named; the connection and its answer stay as they were.
    @Test func refusesWhatTheTransportCannotFollow() throws {
        let core = try Self.core(offer: Self.first)
        let first = core.answer
        let restart = try SessionDescription(parsing: Self.janusOffer("janus-subscriber-offer-inactive", ufrag: "n3wU"))
        let restartError = #expect(throws: PeerConnectionError.self) { _ = try core.renegotiate(offer: restart) }
        #expect(Self.field(of: restartError) == "a=ice-ufrag/a=ice-pwd")
        #expect(restartError?.description.contains("ufrag janU became n3wU: ICE restart is not supported") == true)
        let newCertificate = try SessionDescription(parsing: Self.janusOffer(
            "janus-subscriber-offer-inactive", fingerprint: (0..<32).map { _ in "CD" }.joined(separator: ":")))
        let certificateError = #expect(throws: PeerConnectionError.self) { _ = try core.renegotiate(offer: newCertificate) }
        #expect(Self.field(of: certificateError) == "a=fingerprint")
        // We are the DTLS client; an offer that wants to be the client too conflicts.
        let conflicting = try SessionDescription(parsing: Self.allLeft.replacingOccurrences(
            of: "a=setup:actpass", with: "a=setup:active"))
        #expect(throws: PeerConnectionError.unsupportedRenegotiation(
            field: "a=setup", reason: "active conflicts with our established role active")) {
            _ = try core.renegotiate(offer: conflicting)
        }
        #expect(core.answer == first)
        #expect(core.tracks == [Self.video0, Self.audio1])
        // A passive offerer agrees with our role.
        let passive = try SessionDescription(parsing: Self.allLeft.replacingOccurrences(
            of: "a=setup:actpass", with: "a=setup:passive"))
        let (answer, _) = try core.renegotiate(offer: passive)
        #expect(answer.origin.sessionVersion == 2)
        _ = core.close(now: .now)
        #expect(throws: PeerConnectionError.closed) { _ = try core.renegotiate(offer: passive) }
    }

    static func field(of error: PeerConnectionError?) -> String? {
        guard case .unsupportedRenegotiation(let field, _) = error else { return nil }
        return field
    }

    // MARK: Connection

    /// Through the public API on a real socket: the answer comes back, `tracksChanged` is on
    /// `events` and `tracks()` lists the new set.
    @Test func peerConnectionRenegotiatesAndReportsTracks() async throws {
        let connection = try await PeerConnection.answering(
            offer: Self.first, configuration: PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 43_000...43_999))
        #expect(await connection.tracks() == [Self.video0, Self.audio1])
        let answer = try await connection.renegotiate(offer: Self.joined())
        #expect(answer.origin.sessionVersion == 2)
        #expect(answer.origin.sessionID == connection.answer.origin.sessionID)
        #expect(await connection.tracks() == [Self.video0, Self.audio1, Self.video2])
        await #expect(throws: PeerConnectionError.self) {
            _ = try await connection.renegotiate(offer: "v=0\r\nnot an offer")
        }
        await connection.close()
        var events: [PeerConnectionEvent] = []
        for await event in connection.events { events.append(event) }
        #expect(events == [.tracksChanged(TrackChanges(added: [Self.video2]))])
        await #expect(throws: PeerConnectionError.closed) { _ = try await connection.renegotiate(offer: Self.joined()) }
    }
}

extension RTPPacket {
    fileprivate func withMID(_ mid: String) -> RTPPacket {
        var packet = self
        packet.extensions.setMID(mid, id: 4)
        return packet
    }
}
