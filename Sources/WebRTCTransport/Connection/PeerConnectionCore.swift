import MediaTypes
import RTP
import SDP

/// The state of one bundled receive-only peer connection without its socket: ICE, DTLS, SRTP
/// and the track router behind one datagram demultiplexer (RFC 7983). The owner feeds it
/// received datagrams and the passing of time and carries out its outputs; `PeerConnection`
/// does so on a SwiftNIO event loop.
///
/// Not thread-safe: it owns the OpenSSL and libsrtp objects, which belong to one thread.
final class PeerConnectionCore {
    enum Output {
        case send([UInt8], to: TransportAddress)
        case event(PeerConnectionEvent)
        case frame(ReceivedFrame)
    }

    /// The latest answer: the first one, or the one to the last renegotiated offer.
    private(set) var answer: SessionDescription
    /// The host candidate, and the server-reflexive one once the STUN server told it.
    private(set) var localCandidates: [SDP.ICECandidate]
    private(set) var counters = PeerConnectionCounters()
    var tracks: [ReceivedTrack] { router.tracks }
    var jitterStatistics: [TrackID: JitterBuffer.Statistics] { router.jitterStatistics }

    private let configuration: PeerConnectionConfiguration
    /// The addresses the socket receives at, each a host candidate: the bound address, or
    /// the interface addresses of a socket bound to the wildcard address.
    private let hostAddresses: [TransportAddress]
    /// Where a datagram without a known destination arrived.
    private let primaryHost: TransportAddress
    private let origin: ContinuousClock.Instant
    private var ice: ICEAgent
    /// What every answer of this connection brings: our ICE credentials, fingerprint,
    /// candidates, session id and version, and the DTLS setup role of the first answer.
    private var answerConfiguration: AnswerConfiguration
    /// Our `a=setup` in the first answer, kept by every later one (RFC 8842 section 5.5).
    private let localSetup: SetupRole
    /// The offerer's ICE credentials and the fingerprint its certificate is checked against;
    /// a renegotiation must keep both.
    private let remoteCredentials: ICECredentials
    private let remoteFingerprint: DTLSFingerprint
    private let dtls: DTLSEndpoint
    private var srtp: SRTPSession?
    private var router: TrackRouter
    /// Asks the configured STUN server for our server-reflexive address until it answers.
    private var reflexiveDiscovery: ServerReflexiveDiscovery?
    /// Where DTLS and RTCP go: the selected pair's remote address, or (before ICE selected one)
    /// the remote candidate the peer's DTLS came from.
    private var peerAddress: TransportAddress?
    private var failed = false
    /// As DTLS client, the handshake starts once ICE selected a pair.
    private var dtlsStarted = false
    private var closed = false
    /// Our SSRC as the sender of RTCP.
    private let rtcpSSRC: UInt32
    private var nextReceiverReport: ContinuousClock.Instant

    /// Prepares the answer to `offer` for a socket that receives at `hostAddresses`.
    init(
        offer: SessionDescription, hostAddresses: [TransportAddress], configuration: PeerConnectionConfiguration,
        certificate: DTLSCertificate, now: ContinuousClock.Instant
    ) throws(PeerConnectionError) {
        guard let primaryHost = hostAddresses.first else {
            throw .socket(reason: "no local address to offer as a host candidate")
        }
        self.configuration = configuration
        self.hostAddresses = hostAddresses
        self.primaryHost = primaryHost
        origin = now
        nextReceiverReport = now + configuration.receiverReportInterval
        rtcpSSRC = UInt32.random(in: 1...UInt32.max)

        guard let transportIndex = Self.transportSection(of: offer) else {
            throw .incompleteOffer(field: "m=", reason: "no media section is offered")
        }
        guard let credentials = offer.iceCredentials(forMediaAt: transportIndex) else {
            throw .incompleteOffer(field: "a=ice-ufrag/a=ice-pwd", reason: "missing")
        }
        guard let offeredFingerprint = offer.fingerprints(forMediaAt: transportIndex).first else {
            throw .incompleteOffer(field: "a=fingerprint", reason: "missing")
        }
        do {
            remoteFingerprint = try DTLSFingerprint(
                sdpValue: "\(offeredFingerprint.hashFunction) \(offeredFingerprint.hexString)")
        } catch {
            throw .dtls(error)
        }

        var iceConfiguration = ICEAgent.Configuration(role: offer.iceLite ? .controlling : .controlled)
        iceConfiguration.connectTimeout = configuration.iceConnectTimeout
        ice = ICEAgent(configuration: iceConfiguration)
        ice.setRemoteCredentials(.init(usernameFragment: credentials.usernameFragment, password: credentials.password))
        remoteCredentials = credentials
        var hosts: [ICEAgent.Candidate] = []
        for address in hostAddresses { hosts.append(ice.addLocalHostCandidate(address)) }
        localCandidates = hosts.map {
            SDP.ICECandidate(
                foundation: $0.foundation, priority: $0.priority, address: $0.address.host, port: $0.address.port,
                type: .host)
        }

        var answerConfiguration = AnswerConfiguration(
            iceCredentials: ICECredentials(
                usernameFragment: ice.localCredentials.usernameFragment, password: ice.localCredentials.password),
            fingerprints: [Fingerprint(hashFunction: certificate.fingerprint.hashFunction.rawValue,
                                       bytes: certificate.fingerprint.bytes)],
            sessionID: UInt64.random(in: 1...UInt64(Int64.max)))
        answerConfiguration.codecs = configuration.codecs
        answerConfiguration.candidates = localCandidates
        if let server = configuration.stunServer, server.isIPv6 == primaryHost.isIPv6 {
            var random = ICERandom.system
            reflexiveDiscovery = ServerReflexiveDiscovery(
                server: server, timeout: configuration.stunTimeout, random: &random, at: .zero)
        }
        answerConfiguration.endOfCandidates = reflexiveDiscovery == nil
        let built = SessionDescription.answer(to: offer, configuration: answerConfiguration)
        guard built.session.media.contains(where: { $0.port != 0 }) else {
            throw .noAcceptedMedia(rejected: built.rejectedMedia)
        }
        answer = built.session

        let setup = built.session.setup(forMediaAt: transportIndex) ?? .active
        guard let role = DTLSRole(localSetup: setup.rawValue) else {
            let offered = offer.setup(forMediaAt: transportIndex)?.rawValue ?? "none"
            throw .incompleteOffer(field: "a=setup", reason: "\(offered) leaves no DTLS role")
        }
        localSetup = setup
        answerConfiguration.setup = setup
        self.answerConfiguration = answerConfiguration
        do {
            dtls = try DTLSEndpoint(
                role: role, certificate: certificate, remoteFingerprint: remoteFingerprint,
                configuration: configuration.dtls)
        } catch {
            throw .dtls(error)
        }
        router = TrackRouter(offer: offer, answer: built.session, jitterBuffer: configuration.jitterBuffer)
        addRemoteCandidates(of: offer, transportIndex: transportIndex)
    }

    /// Only the bundle's transport counts: candidates of the other sections belong to
    /// transports the offerer drops once the answer bundles.
    private func addRemoteCandidates(of offer: SessionDescription, transportIndex: Int) {
        let transport = offer.media[transportIndex]
        for candidate in transport.candidates { addRemoteCandidate(candidate) }
        if transport.endOfCandidates { ice.endOfRemoteCandidates() }
    }

    /// Answers a new offer of the same session (Janus sends one when publishers come and go)
    /// over the running transport: same ICE credentials, fingerprint and DTLS role, the next
    /// session version. Continuing sections keep their tracks' state, new ones get tracks,
    /// those no longer received end (the `tracksChanged` event in the outputs says which).
    /// An ICE restart or a new certificate would need a new transport: refused, and the
    /// connection goes on as it was.
    func renegotiate(
        offer: SessionDescription
    ) throws(PeerConnectionError) -> (answer: SessionDescription, outputs: [Output]) {
        guard !closed else { throw .closed }
        guard let transportIndex = Self.transportSection(of: offer) else {
            throw .incompleteOffer(field: "m=", reason: "no media section is offered")
        }
        guard let credentials = offer.iceCredentials(forMediaAt: transportIndex) else {
            throw .incompleteOffer(field: "a=ice-ufrag/a=ice-pwd", reason: "missing")
        }
        guard credentials == remoteCredentials else {
            throw .unsupportedRenegotiation(
                field: "a=ice-ufrag/a=ice-pwd",
                reason: "ufrag \(remoteCredentials.usernameFragment) became \(credentials.usernameFragment): "
                    + "ICE restart is not supported")
        }
        let offeredFingerprints = offer.fingerprints(forMediaAt: transportIndex)
        guard offeredFingerprints.contains(where: {
            (try? DTLSFingerprint(sdpValue: "\($0.hashFunction) \($0.hexString)")) == remoteFingerprint
        }) else {
            throw .unsupportedRenegotiation(
                field: "a=fingerprint",
                reason: "\(remoteFingerprint) is no longer offered (offered: "
                    + offeredFingerprints.map { "\($0.hashFunction) \($0.hexString)" }.joined(separator: ", ")
                    + "): a new DTLS association is not supported")
        }
        let offeredSetup = offer.setup(forMediaAt: transportIndex) ?? .actpass
        guard offeredSetup == .actpass || offeredSetup.answerRole == localSetup else {
            throw .unsupportedRenegotiation(
                field: "a=setup",
                reason: "\(offeredSetup.rawValue) conflicts with our established role \(localSetup.rawValue)")
        }
        answerConfiguration.sessionVersion += 1
        let built = SessionDescription.answer(to: offer, configuration: answerConfiguration)
        answer = built.session
        addRemoteCandidates(of: offer, transportIndex: transportIndex)
        let changes = router.update(offer: offer, answer: built.session)
        counters.routing = router.counters
        return (built.session, changes.isEmpty ? [] : [.event(.tracksChanged(changes))])
    }

    /// The section whose transport the bundle uses: the first mid of the first BUNDLE group,
    /// else the first section.
    private static func transportSection(of offer: SessionDescription) -> Int? {
        if let mid = offer.bundleGroups.first?.mids.first, let index = offer.mediaIndex(mid: mid) { return index }
        return offer.media.isEmpty ? nil : 0
    }

    // MARK: Input

    func start(now: ContinuousClock.Instant) -> [Output] {
        handleICE(ice.start(at: now - origin), now: now) + tickReflexiveDiscovery(now: now)
    }

    /// A remote candidate from the offer or trickled later; unusable ones (TCP, other
    /// components, mDNS names) are ignored.
    func addRemoteCandidate(_ candidate: SDP.ICECandidate) {
        guard candidate.transport.lowercased() == "udp", candidate.component == 1,
              let address = TransportAddress(host: candidate.address, port: candidate.port),
              let kind = ICEAgent.Candidate.Kind(rawValue: candidate.type.rawValue) else { return }
        ice.addRemoteCandidate(.init(
            foundation: candidate.foundation, priority: candidate.priority, address: address, kind: kind))
    }

    func endOfRemoteCandidates() {
        ice.endOfRemoteCandidates()
    }

    func requestKeyframe(track: TrackID) -> Bool {
        router.requestKeyframe(track: track)
    }

    /// One datagram from `source` that arrived at `destination` (nil when the socket cannot
    /// tell, as when bound to one address), classified by its first byte.
    func handle(
        datagram: [UInt8], from source: TransportAddress, to destination: TransportAddress? = nil,
        now: ContinuousClock.Instant
    ) -> [Output] {
        let local = destination ?? primaryHost
        counters.datagramsReceived += 1
        counters.bytesReceived += datagram.count
        guard !closed else { return [] }
        switch DatagramKind(classifying: datagram) {
        case .stun:
            counters.stunDatagrams += 1
            if let discovery = reflexiveDiscovery, discovery.isResponse(datagram, from: source) {
                guard let response = try? STUNMessage(parsing: datagram) else {
                    counters.garbageDatagrams += 1
                    return []
                }
                reflexiveDiscovery?.handle(response)
                return reflexiveOutcome(base: local)
            }
            let discarded = ice.discardedMessages
            let outputs = ice.handle(datagram: datagram, from: source, to: local, at: now - origin)
            if ice.discardedMessages > discarded { counters.garbageDatagrams += 1 }
            return handleICE(outputs, now: now)
        case .dtls:
            counters.dtlsDatagrams += 1
            // Before ICE selected a pair, a DTLS client may already be talking; answer it only
            // at an address ICE knows, so a stray sender cannot take the association over.
            if peerAddress == nil, ice.remoteCandidates.contains(where: { $0.address == source }) {
                peerAddress = source
            }
            return handleDTLS(dtls.handle(datagram: datagram, at: now), now: now)
        case .rtpOrRTCP:
            return handleMedia(datagram, now: now)
        case .zrtp, .turnChannel, .unknown:
            counters.garbageDatagrams += 1
            return []
        }
    }

    /// Runs what is due at `now`: ICE and DTLS retransmissions, frames whose wait ended,
    /// NACKs and PLIs, and the periodic receiver report.
    func tick(now: ContinuousClock.Instant) -> [Output] {
        guard !closed else { return [] }
        var outputs: [Output] = []
        if let due = ice.nextTimeout, due <= now - origin { outputs += handleICE(ice.tick(at: now - origin), now: now) }
        if let due = dtls.retransmitDeadline, due <= now { outputs += handleDTLS(dtls.tick(at: now), now: now) }
        if let due = reflexiveDiscovery?.nextTimeout, due <= now - origin { outputs += tickReflexiveDiscovery(now: now) }
        guard srtp != nil else { return outputs }
        let mediaNow = mediaTime(now)
        outputs += deliver(router.drain(now: mediaNow))
        var rtcp = router.feedback(senderSSRC: rtcpSSRC, now: mediaNow)
        var reports: [ReceptionReport] = []
        if now >= nextReceiverReport {
            nextReceiverReport = now + configuration.receiverReportInterval
            reports = router.receptionReports(now: mediaNow)
        }
        if !rtcp.isEmpty || !reports.isEmpty {
            // A compound packet starts with a report (RFC 3550 section 6.1), empty if need be.
            rtcp.insert(.receiverReport(ReceiverReport(ssrc: rtcpSSRC, reports: reports)), at: 0)
            outputs += sendRTCP(rtcp)
        }
        return outputs
    }

    /// Sends DTLS close_notify and stops handling input.
    func close(now: ContinuousClock.Instant) -> [Output] {
        guard !closed else { return [] }
        let outputs = handleDTLS(dtls.close(), now: now)
        closed = true
        return outputs
    }

    // MARK: Protocols

    private func handleICE(_ outputs: [ICEAgent.Output], now: ContinuousClock.Instant) -> [Output] {
        var result: [Output] = []
        for output in outputs {
            switch output {
            case .send(let bytes, _, let to):
                result.append(send(bytes, to: to))
            case .selectedPair(let pair):
                peerAddress = pair.remote.address
                result.append(.event(.iceConnected(pair)))
                if dtls.role == .client && !dtlsStarted {
                    dtlsStarted = true
                    result += handleDTLS(dtls.start(at: now), now: now)
                }
            case .roleChanged:
                break
            case .failed(let failure):
                result += fail(.ice(failure))
            case .consentLost(let pair):
                result += fail(.consentLost(pair))
            }
        }
        return result
    }

    private func tickReflexiveDiscovery(now: ContinuousClock.Instant) -> [Output] {
        guard let server = reflexiveDiscovery?.server,
              let request = reflexiveDiscovery?.tick(at: now - origin) else { return reflexiveOutcome(base: primaryHost) }
        return [send(request, to: server)]
    }

    /// Once the STUN server answered (at `base`) or the wait ended: the server-reflexive
    /// candidate (unless it is a host candidate itself, with no NAT in between), then the end
    /// of candidates, also written into later answers.
    private func reflexiveOutcome(base: TransportAddress) -> [Output] {
        guard let outcome = reflexiveDiscovery?.outcome else { return [] }
        reflexiveDiscovery = nil
        var outputs: [Output] = []
        switch outcome {
        case .discovered(let mapped):
            guard !hostAddresses.contains(mapped) else { break }
            let candidate = SDP.ICECandidate(
                foundation: ICEAgent.Candidate.foundation(kind: .serverReflexive, baseIP: base.ip),
                priority: ICEAgent.Candidate.priority(kind: .serverReflexive, localPreference: 65535),
                address: mapped.host, port: mapped.port, type: .serverReflexive,
                relatedAddress: base.host, relatedPort: base.port)
            localCandidates.append(candidate)
            answerConfiguration.candidates = localCandidates
            outputs.append(.event(.localCandidate(candidate)))
        case .failed(let reason):
            outputs.append(.event(.serverReflexiveFailed(reason: reason)))
        }
        answerConfiguration.endOfCandidates = true
        outputs.append(.event(.endOfLocalCandidates))
        return outputs
    }

    private func handleDTLS(_ outputs: [DTLSOutput], now: ContinuousClock.Instant) -> [Output] {
        var result: [Output] = []
        for output in outputs {
            switch output {
            case .send(let bytes):
                if let peerAddress { result.append(send(bytes, to: peerAddress)) }
            case .connected(let keys):
                do {
                    srtp = try keys.makeSession(for: dtls.role)
                    result.append(.event(.dtlsConnected(keys.profile)))
                } catch {
                    result += fail(.srtp(error))
                }
            case .closed:
                result.append(.event(.closedByPeer))
            case .failed(let error):
                result += fail(.dtls(error))
            }
        }
        return result
    }

    private func handleMedia(_ datagram: [UInt8], now: ContinuousClock.Instant) -> [Output] {
        guard let srtp else {
            counters.garbageDatagrams += 1
            return []
        }
        var bytes = datagram
        if RTPPacket.isRTCP(bytes) {
            do {
                try srtp.unprotect(rtcp: &bytes)
            } catch {
                count(error)
                return []
            }
            counters.rtcpPackets += 1
            guard let packets = try? RTCPPacket.parseCompound(bytes) else {
                counters.garbageDatagrams += 1
                return []
            }
            for case .senderReport(let report) in packets { router.receive(report, arrival: mediaTime(now)) }
            return []
        }
        do {
            try srtp.unprotect(rtp: &bytes)
        } catch {
            count(error)
            return []
        }
        guard let packet = try? RTPPacket(bytes: bytes) else {
            counters.garbageDatagrams += 1
            return []
        }
        counters.rtpPackets += 1
        counters.rtpBytes += datagram.count
        return deliver(router.receive(packet, arrival: mediaTime(now)))
    }

    private func count(_ error: SRTPError) {
        switch error.kind {
        case .authenticationFailed: counters.srtpAuthenticationFailures += 1
        case .replayed: counters.srtpReplays += 1
        case .malformedPacket, .invalidMasterKey, .library: counters.garbageDatagrams += 1
        }
    }

    // MARK: Output

    private func deliver(_ frames: [ReceivedFrame]) -> [Output] {
        counters.routing = router.counters
        return frames.map(Output.frame)
    }

    private func sendRTCP(_ packets: [RTCPPacket]) -> [Output] {
        guard let srtp, let peerAddress else { return [] }
        var bytes = RTCPPacket.serializeCompound(packets)
        do {
            try srtp.protect(rtcp: &bytes)
        } catch {
            counters.rtcpProtectFailures += 1
            return []
        }
        for packet in packets {
            switch packet {
            case .receiverReport(let report) where !report.reports.isEmpty: counters.receiverReportsSent += 1
            case .nack(let nack):
                counters.nacksSent += 1
                counters.nackedPackets += nack.lostSequenceNumbers.count
            case .pictureLossIndication: counters.plisSent += 1
            default: break
            }
        }
        return [send(bytes, to: peerAddress)]
    }

    private func send(_ bytes: [UInt8], to address: TransportAddress) -> Output {
        counters.datagramsSent += 1
        return .send(bytes, to: address)
    }

    private func fail(_ error: PeerConnectionError) -> [Output] {
        guard !failed else { return [] }
        failed = true
        closed = true
        return [.event(.failed(error))]
    }

    private func mediaTime(_ now: ContinuousClock.Instant) -> MediaTime {
        let elapsed = (now - origin).components
        return .nanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
    }
}

extension PeerConnectionCore {
    /// The owner handed a frame to the consumer.
    func noteFrameDelivered() {
        counters.framesDelivered += 1
    }

    func noteSocketError() {
        counters.socketErrors += 1
    }

    /// The consumer's queue was full and dropped its oldest frame.
    func noteFrameDroppedByConsumer() {
        counters.framesDroppedByConsumer += 1
    }
}
