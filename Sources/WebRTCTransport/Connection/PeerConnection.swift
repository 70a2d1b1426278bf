import MediaTypes
import NIOCore
import NIOPosix
import RTP
import SDP

/// One bundled, receive-only WebRTC peer connection: answers a remote offer, owns one UDP
/// socket (a SwiftNIO datagram channel) and runs ICE, DTLS-SRTP, RTP routing and RTCP feedback
/// on that channel's event loop. Assembled frames arrive on `frames`, state changes on `events`.
///
/// Every OpenSSL and libsrtp object lives in a `PeerConnectionCore` that only the event loop
/// touches; the methods here hop onto the loop.
public final class PeerConnection: Sendable {
    /// The answer to send back to the offerer (`answer.text`).
    public let answer: SessionDescription
    /// The address the socket is bound to, also our only host candidate.
    public let localAddress: TransportAddress
    public let localCandidates: [SDP.ICECandidate]
    public let tracks: [ReceivedTrack]
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
        let (frames, frameSink) = AsyncStream.makeStream(
            of: ReceivedFrame.self, bufferingPolicy: .bufferingNewest(configuration.frameQueueCapacity))
        let (events, eventSink) = AsyncStream.makeStream(of: PeerConnectionEvent.self)
        let setup = channel.eventLoop.submit {
            () throws -> (NIOLoopBound<Driver>, SessionDescription, [SDP.ICECandidate], [ReceivedTrack]) in
            let core = try PeerConnectionCore(
                offer: parsed, localAddress: local, configuration: configuration, certificate: certificate,
                now: .now)
            let driver = Driver(core: core, channel: channel, frames: frameSink, events: eventSink)
            try channel.pipeline.syncOperations.addHandler(DatagramHandler(driver: driver))
            driver.start(tickInterval: configuration.tickInterval)
            return (NIOLoopBound(driver, eventLoop: channel.eventLoop), core.answer, core.localCandidates, core.tracks)
        }
        do {
            let (driver, answer, candidates, tracks) = try await setup.get()
            return PeerConnection(
                answer: answer, localAddress: local, localCandidates: candidates, tracks: tracks,
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
        tracks: [ReceivedTrack], frames: AsyncStream<ReceivedFrame>, events: AsyncStream<PeerConnectionEvent>,
        channel: any Channel, driver: NIOLoopBound<Driver>
    ) {
        self.answer = answer
        self.localAddress = localAddress
        self.localCandidates = localCandidates
        self.tracks = tracks
        self.frames = frames
        self.events = events
        self.channel = channel
        self.driver = driver
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

        func receive(_ datagram: [UInt8], from source: TransportAddress) {
            perform(core.handle(datagram: datagram, from: source, now: .now))
        }

        func noteSocketError() {
            core.noteSocketError()
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

        init(driver: Driver) {
            self.driver = driver
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let source = TransportAddress(envelope.remoteAddress) else { return }
            driver.receive(Array(envelope.data.readableBytesView), from: source)
        }

        /// A UDP socket error (an ICMP error reported for an earlier send, say) concerns one
        /// datagram, not the socket: count it and go on.
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            driver.noteSocketError()
        }
    }
}
