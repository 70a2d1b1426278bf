import MediaTypes
import NIOCore
import NIOPosix
import RTP
import SDP

/// One bundled, receive-only WebRTC peer connection: answers a remote offer, owns one UDP
/// socket (a SwiftNIO datagram channel) and runs ICE, DTLS-SRTP, RTP routing and RTCP feedback
/// on that channel's event loop. Assembled frames arrive on `frames`, state changes on `events`.
/// Later offers of the same session (publishers joining or leaving) go to `renegotiate(offer:)`.
///
/// Every OpenSSL and libsrtp object lives in a `PeerConnectionCore` that only the event loop
/// touches; the methods here hop onto the loop.
public final class PeerConnection: Sendable {
    /// The answer to send back to the offerer (`answer.text`); `renegotiate(offer:)` returns
    /// the answers to later offers.
    public let answer: SessionDescription
    /// The address the socket is bound to: our host candidate, or with the wildcard address
    /// (`0.0.0.0`, `::`) the port of the host candidates on every interface address.
    public let localAddress: TransportAddress
    /// The candidates in `answer`; a server-reflexive one learned later comes on `events`.
    public let localCandidates: [SDP.ICECandidate]
    /// Assembled frames of every track, in arrival order per track.
    public let frames: AsyncStream<ReceivedFrame>
    public let events: AsyncStream<PeerConnectionEvent>

    private let channel: any Channel
    private let driver: NIOLoopBound<Driver>

    /// Binds the socket, builds the answer to `offer` (SDP text, as Janus or a browser sends
    /// it) and starts ICE.
    public static func answering(
        offer: String, configuration: PeerConnectionConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(PeerConnectionError) -> PeerConnection {
        let parsed: SessionDescription
        do {
            parsed = try SessionDescription(parsing: offer)
        } catch {
            throw .invalidOffer(error)
        }
        let certificate: DTLSCertificate
        if let configured = configuration.certificate {
            certificate = configured
        } else {
            do {
                certificate = try DTLSCertificate()
            } catch {
                throw .dtls(error)
            }
        }
        let channel = try await bind(configuration: configuration, group: group)
        guard let local = channel.localAddress.flatMap(TransportAddress.init) else {
            channel.close(mode: .all, promise: nil)
            throw .invalidBindAddress(configuration.bindAddress)
        }
        let hostAddresses: [TransportAddress]
        do {
            hostAddresses = try await Self.hostAddresses(of: channel, boundTo: local)
        } catch {
            channel.close(mode: .all, promise: nil)
            throw error
        }
        let (frames, frameSink) = AsyncStream.makeStream(
            of: ReceivedFrame.self, bufferingPolicy: .bufferingNewest(configuration.frameQueueCapacity))
        let (events, eventSink) = AsyncStream.makeStream(of: PeerConnectionEvent.self)
        let setup = channel.eventLoop.submit {
            () throws -> (NIOLoopBound<Driver>, SessionDescription, [SDP.ICECandidate]) in
            let core = try PeerConnectionCore(
                offer: parsed, hostAddresses: hostAddresses, configuration: configuration, certificate: certificate,
                now: .now)
            let driver = Driver(core: core, channel: channel, frames: frameSink, events: eventSink)
            try channel.pipeline.syncOperations.addHandler(DatagramHandler(driver: driver, localPort: local.port))
            driver.start(tickInterval: configuration.tickInterval)
            return (NIOLoopBound(driver, eventLoop: channel.eventLoop), core.answer, core.localCandidates)
        }
        do {
            let (driver, answer, candidates) = try await setup.get()
            return PeerConnection(
                answer: answer, localAddress: local, localCandidates: candidates,
                frames: frames, events: events, channel: channel, driver: driver)
        } catch {
            channel.close(mode: .all, promise: nil)
            frameSink.finish()
            eventSink.finish()
            throw (error as? PeerConnectionError) ?? .socket(reason: "\(error)")
        }
    }

    private init(
        answer: SessionDescription, localAddress: TransportAddress, localCandidates: [SDP.ICECandidate],
        frames: AsyncStream<ReceivedFrame>, events: AsyncStream<PeerConnectionEvent>,
        channel: any Channel, driver: NIOLoopBound<Driver>
    ) {
        self.answer = answer
        self.localAddress = localAddress
        self.localCandidates = localCandidates
        self.frames = frames
        self.events = events
        self.channel = channel
        self.driver = driver
    }

    /// The bound address itself; for the wildcard address, every interface address of its
    /// family with the bound port, and the socket reports each datagram's destination (one of
    /// them) so ICE knows which host candidate a check arrived at.
    private static func hostAddresses(
        of channel: any Channel, boundTo local: TransportAddress
    ) async throws(PeerConnectionError) -> [TransportAddress] {
        guard local.ip == .v4(0) || local.ip == .v6(high: 0, low: 0) else { return [local] }
        let addresses = InterfaceAddresses.hostCandidateAddresses(of: InterfaceAddresses.entries(), ipv6: local.isIPv6)
        guard !addresses.isEmpty else {
            throw .socket(reason: "bound to \(local), but no interface has an address of that family other than loopback")
        }
        do {
            try await channel.setOption(.receivePacketInfo, value: true).get()
        } catch {
            throw .socket(reason: "receiving packet info on \(local): \(error)")
        }
        return addresses.map { TransportAddress(ip: $0, port: local.port) }
    }

    /// Binds the first free port of the range.
    private static func bind(
        configuration: PeerConnectionConfiguration, group: any EventLoopGroup
    ) async throws(PeerConnectionError) -> any Channel {
        guard TransportAddress(host: configuration.bindAddress, port: 0) != nil else {
            throw .invalidBindAddress(configuration.bindAddress)
        }
        let bootstrap = DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(configuration.socketReceiveBufferSize))
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
        var lastError = "empty port range"
        for port in configuration.ports {
            do {
                return try await bootstrap.bind(host: configuration.bindAddress, port: Int(port)).get()
            } catch {
                lastError = "\(error)"
            }
        }
        throw .noPortAvailable(address: configuration.bindAddress, ports: configuration.ports, lastError: lastError)
    }

    // MARK: Control

    /// Answers a new offer of the same session over the running transport (same ICE
    /// credentials, fingerprint and DTLS role; the next session version) and returns that
    /// answer. Tracks of continuing sections keep their state; added and ended tracks are
    /// reported on `events` (`tracksChanged`) before this returns, and `tracks()` lists the
    /// new set. An offer that restarts ICE or changes the DTLS certificate or role is refused
    /// (`unsupportedRenegotiation`) and the connection goes on unchanged.
    public func renegotiate(offer: String) async throws(PeerConnectionError) -> SessionDescription {
        let parsed: SessionDescription
        do {
            parsed = try SessionDescription(parsing: offer)
        } catch {
            throw .invalidOffer(error)
        }
        let driver = self.driver
        do {
            return try await channel.eventLoop.submit { try driver.value.renegotiate(offer: parsed) }.get()
        } catch {
            throw (error as? PeerConnectionError) ?? .socket(reason: "\(error)")
        }
    }

    /// The tracks received now: the receiving sections of the latest answer.
    public func tracks() async -> [ReceivedTrack] {
        await query { $0.core.tracks } ?? []
    }

    /// A remote candidate trickled after the offer.
    public func addRemoteCandidate(_ candidate: SDP.ICECandidate) {
        run { $0.core.addRemoteCandidate(candidate) }
    }

    /// The peer has sent all its candidates.
    public func endOfRemoteCandidates() {
        run { $0.core.endOfRemoteCandidates() }
    }

    /// Sends a PLI for `track` with the next feedback (a decoder that cannot go on asks this);
    /// ignored for unknown tracks and tracks whose answer negotiated no PLI.
    public func requestKeyframe(track: TrackID) {
        run { _ = $0.core.requestKeyframe(track: track) }
    }

    public func counters() async -> PeerConnectionCounters {
        await query { $0.core.counters } ?? PeerConnectionCounters()
    }

    /// Each track's jitter buffer statistics (loss, recovery, frames released).
    public func jitterStatistics() async -> [TrackID: JitterBuffer.Statistics] {
        await query { $0.core.jitterStatistics } ?? [:]
    }

    /// Sends DTLS close_notify, closes the socket and ends both streams.
    public func close() async {
        let driver = self.driver
        try? await channel.eventLoop.submit { driver.value.close() }.get()
        try? await channel.close(mode: .all).get()
    }

    private func run(_ body: @escaping @Sendable (Driver) -> Void) {
        let driver = self.driver
        channel.eventLoop.execute { body(driver.value) }
    }

    private func query<Value: Sendable>(_ body: @escaping @Sendable (Driver) -> Value) async -> Value? {
        let driver = self.driver
        return try? await channel.eventLoop.submit { body(driver.value) }.get()
    }
}

extension PeerConnection {
    /// Carries out a core's outputs on the event loop: writes datagrams, yields frames and
    /// events, and ticks the core's timers.
    final class Driver {
        let core: PeerConnectionCore
        private let channel: any Channel
        private let frameSink: AsyncStream<ReceivedFrame>.Continuation
        private let eventSink: AsyncStream<PeerConnectionEvent>.Continuation
        private var ticker: RepeatedTask?

        init(
            core: PeerConnectionCore, channel: any Channel, frames: AsyncStream<ReceivedFrame>.Continuation,
            events: AsyncStream<PeerConnectionEvent>.Continuation
        ) {
            self.core = core
            self.channel = channel
            frameSink = frames
            eventSink = events
        }

        func start(tickInterval: Duration) {
            perform(core.start(now: .now))
            let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
            let interval = TimeAmount(tickInterval)
            ticker = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                loopBound.value.perform(loopBound.value.core.tick(now: .now))
            }
        }

        func receive(_ datagram: [UInt8], from source: TransportAddress, to destination: TransportAddress?) {
            perform(core.handle(datagram: datagram, from: source, to: destination, now: .now))
        }

        func noteSocketError() {
            core.noteSocketError()
        }

        func renegotiate(offer: SessionDescription) throws(PeerConnectionError) -> SessionDescription {
            let (answer, outputs) = try core.renegotiate(offer: offer)
            perform(outputs)
            return answer
        }

        func close() {
            perform(core.close(now: .now))
            ticker?.cancel()
            ticker = nil
            frameSink.finish()
            eventSink.finish()
        }

        private func perform(_ outputs: [PeerConnectionCore.Output]) {
            var wrote = false
            for output in outputs {
                switch output {
                case .send(let bytes, let to):
                    guard let address = to.socketAddress else { continue }
                    let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes))
                    channel.write(envelope, promise: nil)
                    wrote = true
                case .frame(let frame):
                    if case .dropped = frameSink.yield(frame) { core.noteFrameDroppedByConsumer() }
                    core.noteFrameDelivered()
                case .event(let event):
                    eventSink.yield(event)
                    if case .failed = event {
                        // Nothing more will come; the owner still closes the socket.
                        ticker?.cancel()
                        ticker = nil
                        frameSink.finish()
                        eventSink.finish()
                    }
                }
            }
            if wrote { channel.flush() }
        }
    }

    /// Hands each received datagram to the driver.
    final class DatagramHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        private let driver: Driver
        /// The socket's port, for the destination addresses packet info gives without one.
        private let localPort: UInt16

        init(driver: Driver, localPort: UInt16) {
            self.driver = driver
            self.localPort = localPort
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let source = TransportAddress(envelope.remoteAddress) else { return }
            let destination = envelope.metadata?.packetInfo.flatMap { TransportAddress($0.destinationAddress) }
                .map { TransportAddress(ip: $0.ip, port: localPort) }
            driver.receive(Array(envelope.data.readableBytesView), from: source, to: destination)
        }

        /// A UDP socket error (an ICMP error reported for an earlier send, say) concerns one
        /// datagram, not the socket: count it and go on.
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            driver.noteSocketError()
        }
    }
}
