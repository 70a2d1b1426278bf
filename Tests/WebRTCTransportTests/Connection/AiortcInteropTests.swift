import Foundation
import MediaDecode
import MediaTypes
import RTP
import SDP
import Testing
@testable import WebRTCTransport

#if canImport(Glibc)
import Glibc

/// A `PeerConnection` receiving from aiortc (a WebRTC stack nobody here wrote) over UDP on
/// 127.0.0.1: aiortc offers a video track (VP8 or H.264) and an audio track (Opus) and sends
/// for a few seconds; Tessera answers, completes ICE and DTLS, decrypts, routes, and the test
/// decodes what it assembles. Each video picture carries its frame number as 16 bars (see
/// Peers/aiortc_sender.py), so the test reads back which frames arrived; the audio is a
/// 440 Hz sine, checked by its zero crossings. SDP goes over the script's stdin/stdout. Every
/// wait is bounded, and the script is always ended.
@Suite(.serialized) struct AiortcInteropTests {
    /// Each codec with one of the two SRTP profiles (the only one Tessera offers in that run).
    @Test(.timeLimit(.minutes(1)), arguments: [("VP8", SRTPProtectionProfile.aeadAes128Gcm), ("H264", .aes128CmHmacSha1_80)])
    func receivesVideoAndAudio(codec: String, profile: SRTPProtectionProfile) async throws {
        let outcome = try await AiortcSession(codec: codec, srtpProfiles: [profile], injectGarbage: true).run()
        let sent = try #require(outcome.sent, "aiortc did not finish: \(outcome.peerLog)")
        #expect(outcome.events.contains { if case .iceConnected = $0 { true } else { false } })
        #expect(outcome.events.contains(.dtlsConnected(profile)), "\(outcome.events)")
        #expect(!outcome.events.contains { if case .failed = $0 { true } else { false } }, "\(outcome.events)")
        // On a clean path every frame arrives, in order, showing its number.
        #expect(sent.videoFrames > 100)
        #expect(outcome.video.numbers == Array(0..<sent.videoFrames), "decoded \(outcome.video.numbers.count) of \(sent.videoFrames)")
        #expect(outcome.video.unreadable == 0)
        #expect(outcome.video.decodeErrors == 0)
        #expect(outcome.audio.blocks == sent.audioFrames, "decoded \(outcome.audio.blocks) of \(sent.audioFrames) audio frames")
        #expect(abs(outcome.audio.crossingsPerSecond - 880) < 40, "sine at \(outcome.audio.crossingsPerSecond / 2) Hz")
        // The injected datagrams: every bad-tag SRTP packet is counted, nothing crashed.
        #expect(outcome.counters.srtpAuthenticationFailures == AiortcSession.badTagPackets)
        #expect(outcome.counters.garbageDatagrams >= AiortcSession.garbageDatagrams)
        #expect(outcome.counters.receiverReportsSent >= 3)
        #expect(outcome.counters.rtpPackets > 0 && outcome.counters.rtpBytes > outcome.counters.rtpPackets * 12)
    }

    /// 10% of the media datagrams from aiortc dropped, all delayed 0-40 ms (so reordered), 1%
    /// with a corrupted SRTP tag; the handshakes pass untouched. NACKs bring RTX packets that
    /// fill the holes.
    @Test(.timeLimit(.minutes(1)), arguments: ["VP8", "H264"])
    func recoversFromLossWithRetransmissions(codec: String) async throws {
        var impairment = ImpairmentRelay.Impairment()
        impairment.dropRate = 0.10
        impairment.delay = .zero ... .milliseconds(40)
        impairment.corruptionRate = 0.01
        impairment.applies = { DatagramKind(classifying: $0) == .rtpOrRTCP }
        let outcome = try await AiortcSession(codec: codec, impairment: impairment).run()
        let sent = try #require(outcome.sent, "aiortc did not finish: \(outcome.peerLog)")
        let relay = try #require(outcome.relay)
        #expect(relay.dropped > 20 && (7...13).contains(relay.dropped * 100 / relay.impaired),
                "the relay dropped \(relay.dropped) of \(relay.impaired)")
        #expect(outcome.counters.nacksSent > 0)
        #expect(outcome.counters.retransmissionsReceived > 0)
        #expect(sent.retransmitRequests > 0)
        #expect(outcome.counters.srtpAuthenticationFailures == relay.corrupted)
        // NACK -> RTX repairs the holes. What it cannot repair: a lost first packet of the very
        // first keyframe, which no later packet reveals as missing; the jitter buffer then waits
        // out its window and asks for a keyframe (about 16 frames with H.264 and this seed).
        #expect(outcome.video.numbers.count >= sent.videoFrames * 80 / 100, "decoded \(outcome.video.numbers.count) of \(sent.videoFrames)")
        #expect(outcome.video.numbers == outcome.video.numbers.sorted())
        #expect(outcome.video.unreadable == 0)
        #expect(outcome.audio.blocks >= sent.audioFrames * 80 / 100, "decoded \(outcome.audio.blocks) of \(sent.audioFrames) audio frames")
        let videoStatistics = outcome.jitter[TrackID("0")]
        #expect((videoStatistics?.packetsRecovered ?? 0) > 0, "\(String(describing: videoStatistics))")
    }

    /// The offer says `a=setup:active`, so Tessera answers `passive` and is the DTLS server.
    @Test(.timeLimit(.minutes(1)))
    func actsAsDTLSServer() async throws {
        let outcome = try await AiortcSession(codec: "VP8", seconds: 2) {
            $0.replacingOccurrences(of: "a=setup:actpass", with: "a=setup:active")
        }.run()
        let sent = try #require(outcome.sent, "aiortc did not finish: \(outcome.peerLog)")
        #expect(outcome.events.contains { if case .dtlsConnected = $0 { true } else { false } })
        #expect(outcome.video.numbers.count >= sent.videoFrames - 5)
    }

    /// A changed byte in the offer's SHA-256 fingerprint: aiortc's real certificate no longer
    /// matches, and Tessera refuses the association.
    @Test(.timeLimit(.minutes(1)))
    func refusesPeerWhoseCertificateDoesNotMatchFingerprint() async throws {
        let outcome = try await AiortcSession(codec: "VP8", seconds: 2, expectFailure: true) { offer in
            guard let range = offer.range(of: "a=fingerprint:sha-256 ") else { return offer }
            let first = offer[range.upperBound...].prefix(2)
            let flipped = first == "00" ? "01" : "00"
            return offer.replacingCharacters(in: range.upperBound..<offer.index(range.upperBound, offsetBy: 2), with: flipped)
        }.run()
        let failure = outcome.events.compactMap { event -> DTLSError? in
            if case .failed(.dtls(let error)) = event { return error }
            return nil
        }.first
        guard case .fingerprintMismatch = failure else {
            Issue.record("expected a fingerprint mismatch, got events \(outcome.events)")
            return
        }
        #expect(!outcome.events.contains { if case .dtlsConnected = $0 { true } else { false } })
        #expect(outcome.video.numbers.isEmpty && outcome.audio.blocks == 0)
        #expect(outcome.counters.rtpPackets == 0)
    }
}

/// One run of Peers/aiortc_sender.py against a `PeerConnection`, optionally through an
/// `ImpairmentRelay`.
struct AiortcSession {
    struct Sent {
        var videoFrames: Int
        var audioFrames: Int
        var retransmitRequests: Int
    }

    struct Video: Sendable {
        /// The frame number read from each decoded picture, in decode order.
        var numbers: [Int] = []
        /// Pictures whose bars were not clearly black or white.
        var unreadable = 0
        var decodeErrors = 0
    }

    struct Audio: Sendable {
        var blocks = 0
        var samples = 0
        var crossings = 0
        var crossingsPerSecond: Double { samples == 0 ? 0 : Double(crossings) * 48_000 / Double(samples) }
    }

    struct Outcome {
        var sent: Sent?
        var peerLog: String
        var events: [PeerConnectionEvent]
        var counters: PeerConnectionCounters
        var jitter: [TrackID: JitterBuffer.Statistics]
        var video: Video
        var audio: Audio
        var relay: ImpairmentRelay.Statistics?
    }

    static let badTagPackets = 20
    static let garbageDatagrams = 40

    var codec: String
    var seconds = 4.0
    var srtpProfiles = DTLSConfiguration().srtpProfiles
    var impairment: ImpairmentRelay.Impairment?
    var injectGarbage = false
    var expectFailure = false
    var editOffer: @Sendable (String) -> String = { $0 }

    init(
        codec: String, seconds: Double = 4, srtpProfiles: [SRTPProtectionProfile] = DTLSConfiguration().srtpProfiles,
        impairment: ImpairmentRelay.Impairment? = nil, injectGarbage: Bool = false,
        expectFailure: Bool = false, editOffer: @escaping @Sendable (String) -> String = { $0 }
    ) {
        self.codec = codec
        self.seconds = seconds
        self.srtpProfiles = srtpProfiles
        self.impairment = impairment
        self.injectGarbage = injectGarbage
        self.expectFailure = expectFailure
        self.editOffer = editOffer
    }

    func run() async throws -> Outcome {
        // ScriptPeer looks in ICE/Peers; this script lives in Connection/Peers.
        let peer = try ScriptPeer(
            script: "../../Connection/Peers/aiortc_sender.py",
            arguments: ["--codec", codec, "--seconds", String(seconds), "--timeout", "15"])
        defer { peer.stop() }
        let clock = ContinuousClock()
        var peerLog: [String] = []

        guard let offerLine = await Self.nextLine(from: peer, until: clock.now + .seconds(15), log: &peerLog),
              let offerJSON = try JSONSerialization.jsonObject(with: Data(offerLine.utf8)) as? [String: Any],
              var offer = offerJSON["sdp"] as? String else {
            Issue.record("aiortc sent no offer: \(peerLog) \(peer.stderrText())")
            return Outcome(
                peerLog: peerLog.joined(separator: "\n"), events: [], counters: PeerConnectionCounters(), jitter: [:],
                video: Video(), audio: Audio())
        }
        offer = editOffer(offer)
        let aiortcAddress = Self.firstCandidate(of: try SessionDescription(parsing: offer))
        let relay = try impairment.map { try ImpairmentRelay(seed: 6, towardsFirst: $0) }
        defer { relay?.stop() }
        if let relay {
            offer = try Self.pointingCandidates(of: offer, at: relay.addressForFirst)
        }

        var configuration = PeerConnectionConfiguration(bindAddress: "127.0.0.1", ports: 42000...42999)
        configuration.iceConnectTimeout = .seconds(10)
        configuration.dtls.srtpProfiles = srtpProfiles
        let connection = try await PeerConnection.answering(offer: offer, configuration: configuration)
        var answer = connection.answer.text
        if let relay, let aiortcAddress {
            relay.connect(first: connection.localAddress, second: aiortcAddress)
            answer = try Self.pointingCandidates(of: answer, at: relay.addressForSecond)
        }
        let answerJSON = try JSONSerialization.data(withJSONObject: ["type": "answer", "sdp": answer])
        peer.writeLine(String(decoding: answerJSON, as: UTF8.self))

        let consumer = Task { await Self.decode(connection.frames) }
        let eventCollector = Task {
            var events: [PeerConnectionEvent] = []
            for await event in connection.events { events.append(event) }
            return events
        }

        var sent: Sent?
        let deadline = clock.now + .seconds(seconds + 15)
        var injected = false
        while clock.now < deadline, sent == nil {
            for line in peer.readLines() {
                peerLog.append(line)
                guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                switch event["event"] as? String {
                case "connected":
                    if injectGarbage && !injected {
                        injected = true
                        try Self.injectGarbage(into: connection.localAddress)
                    }
                case "done":
                    sent = Sent(
                        videoFrames: event["videoFrames"] as? Int ?? 0, audioFrames: event["audioFrames"] as? Int ?? 0,
                        retransmitRequests: event["retransmitRequests"] as? Int ?? 0)
                default:
                    break
                }
            }
            if peerLog.contains(where: { $0.contains("\"failed\"") || $0.contains("\"error\"") }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Let the frames in flight arrive (and retransmissions complete) before closing.
        try await Task.sleep(for: .milliseconds(expectFailure ? 100 : 800))
        let counters = await connection.counters()
        let jitter = await connection.jitterStatistics()
        await connection.close()
        let (video, audio) = await consumer.value
        let events = await eventCollector.value
        return Outcome(
            sent: sent, peerLog: peerLog.joined(separator: "\n"), events: events, counters: counters, jitter: jitter,
            video: video, audio: audio, relay: relay?.statistics(towards: .first))
    }

    private static func nextLine(
        from peer: ScriptPeer, until deadline: ContinuousClock.Instant, log: inout [String]
    ) async -> String? {
        while ContinuousClock.now < deadline {
            if let line = peer.readLines().first {
                log.append(line)
                return line
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Decodes every frame: reads the number off each picture and counts the sine's zero crossings.
    private static func decode(_ frames: AsyncStream<ReceivedFrame>) async -> (Video, Audio) {
        var video = Video()
        var audio = Audio()
        var videoDecoder: VideoDecoder?
        var audioDecoder: AudioDecoder?
        var previousSample: Float = 0
        for await received in frames {
            switch received.track.kind {
            case .video:
                if videoDecoder == nil { videoDecoder = try? VideoDecoder(track: received.track.id, codec: received.frame.codec) }
                _ = videoDecoder?.decode(received.frame) { picture in
                    if let number = readNumber(picture) { video.numbers.append(number) } else { video.unreadable += 1 }
                }
                video.decodeErrors = videoDecoder?.statistics.decodeErrors ?? 0
            case .audio:
                if audioDecoder == nil { audioDecoder = try? AudioDecoder(track: received.track.id) }
                _ = audioDecoder?.decode(received.frame) { block in
                    audio.blocks += 1
                    for frame in 0..<block.frameCount {
                        let sample = block.samples[frame * block.channels]
                        if (sample >= 0) != (previousSample >= 0) { audio.crossings += 1 }
                        previousSample = sample
                    }
                    audio.samples += block.frameCount
                }
            }
        }
        return (video, audio)
    }

    /// The frame number drawn as 16 bars of 20 pixels (most significant bit left), read at
    /// each bar's centre; nil when a bar is neither clearly bright nor dark.
    private static func readNumber(_ picture: VideoFrame) -> Int? {
        guard picture.width == 320, picture.height == 240 else { return nil }
        var number = 0
        for bit in 0..<16 {
            let luma = Int(picture[.y, bit * 20 + 10, 120])
            guard luma > 180 || luma < 76 else { return nil }
            number = number << 1 | (luma > 128 ? 1 : 0)
        }
        return number
    }

    /// Replaces every candidate of the SDP with one host candidate at `address`.
    static func pointingCandidates(of sdp: String, at address: TransportAddress) throws -> String {
        var session = try SessionDescription(parsing: sdp)
        for index in session.media.indices {
            session.media[index].candidates = [
                SDP.ICECandidate(foundation: "relay", priority: 2_130_706_431, address: address.host, port: address.port, type: .host),
            ]
        }
        return session.text
    }

    /// The first candidate of the first section: the transport the bundle keeps.
    static func firstCandidate(of session: SessionDescription) -> TransportAddress? {
        session.media.first?.candidates.first.flatMap { TransportAddress(host: $0.address, port: $0.port) }
    }

    /// Sends seeded garbage of every kind to `address`, and SRTP packets of a well-formed
    /// header whose tag cannot verify.
    private static func injectGarbage(into address: TransportAddress) throws {
        let socket = try LoopbackUDPSocket()
        var generator = SeededGenerator(seed: 17)
        // First bytes no protocol here uses, STUN-looking, ZRTP, TURN and RTP-looking: all garbage.
        let firstBytes: [UInt8] = [0x00, 0x01, 0x10, 0x40, 0xC0, 0xFF, 0x80, 0x81]
        for index in 0..<garbageDatagrams {
            let length = Int.random(in: 1...300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[0] = firstBytes[index % firstBytes.count]
            if bytes[0] >= 0x80 { bytes = Array(bytes.prefix(8)) }  // too short for SRTP
            socket.send(bytes, to: address)
        }
        for index in 0..<badTagPackets {
            var packet: [UInt8] = [0x80, 0x60, 0, UInt8(index), 0, 0, 0, 1, 0x12, 0x34, 0x56, UInt8(index)]
            packet += (0..<116).map { _ in UInt8.random(in: 0...255, using: &generator) }
            socket.send(packet, to: address)
        }
    }
}

#endif
