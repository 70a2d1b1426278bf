import Foundation
import Logging
import NIOCore

/// Carries out a `VideoRoomStateMachine` over a WebSocket: sends its requests, reports its
/// events, resumes the calls waiting on it, and feeds it Janus's messages and a clock tick.
actor VideoRoomDriver {
    typealias Waiter = VideoRoomStateMachine.Waiter
    typealias Action = VideoRoomStateMachine.Action

    /// Request timeouts, keepalives and the leave deadline are checked this often.
    static let tickInterval: Duration = .milliseconds(100)

    private let configuration: JanusVideoRoomConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let eventSink: AsyncStream<SignalingEvent>.Continuation
    private var machine: VideoRoomStateMachine
    private var connection: WebSocketConnection?
    /// Calls waiting for the state machine; several `leave()` calls can wait together.
    private var waiters: [Waiter: [CheckedContinuation<Void, any Error>]] = [:]
    private var joinCalled = false
    private var ticker: Task<Void, Never>?
    private var finished = false
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    init(
        configuration: JanusVideoRoomConfiguration, group: any EventLoopGroup,
        events: AsyncStream<SignalingEvent>.Continuation, logger: Logger
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        eventSink = events
        let settings = VideoRoomStateMachine.Settings(
            room: configuration.room, pin: configuration.pin, token: configuration.token,
            displayName: configuration.displayName, keepaliveInterval: configuration.keepaliveInterval,
            requestTimeout: configuration.requestTimeout, leaveTimeout: configuration.leaveTimeout)
        let prefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        machine = VideoRoomStateMachine(settings: settings, transactionPrefix: prefix, logger: logger)
    }

    var counters: SignalingCounters { machine.counters }

    func join() async throws {
        guard !joinCalled, !finished else {
            throw JanusError.invalidState(request: "join", reason: "join() was already called")
        }
        joinCalled = true
        do {
            let url = try WebSocketURL(parsing: configuration.url)
            let connection = try await WebSocketConnection.connect(
                to: url, subprotocol: "janus-protocol", timeout: configuration.connectTimeout, group: group)
            guard !finished else {
                // leave() came while connecting.
                await connection.close(timeout: .seconds(1))
                throw JanusError.invalidState(request: "join", reason: "left while connecting")
            }
            logger.info("connected to Janus", metadata: ["url": "\(configuration.url)", "room": "\(configuration.room)"])
            self.connection = connection
            Task {
                for await inbound in connection.inbound { self.receive(inbound) }
            }
            ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.tickInterval)
                    self.tick()
                }
            }
            try await wait(for: .join, machine.join(now: .now))
        } catch {
            // Nothing stays behind a failed join: the session is destroyed, the socket closed.
            logger.error("joining room \(configuration.room) failed: \(error)")
            await leave()
            throw error
        }
    }

    func answer(sdp: String) async throws {
        let (waiter, actions) = try machine.answer(sdp: sdp, now: .now)
        try await wait(for: waiter, actions)
    }

    func trickle(_ candidate: TrickleCandidate) async throws {
        let (waiter, actions) = try machine.trickle(candidate, now: .now)
        try await wait(for: waiter, actions)
    }

    func leave() async {
        guard !finished else { return }
        if connection != nil {
            do {
                try await wait(for: .leave, machine.leave(now: .now))
            } catch {
                logger.warning("leaving the room: \(error)")
            }
        } else {
            _ = machine.leave(now: .now)
        }
        let connection = self.connection
        finish()
        await connection?.close(timeout: .seconds(1))
        logger.info("left the room", metadata: ["room": "\(configuration.room)"])
    }

    private func wait(for waiter: Waiter, _ actions: [Action]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiters[waiter, default: []].append(continuation)
            perform(actions)
        }
    }

    private func receive(_ inbound: WebSocketConnection.Inbound) {
        switch inbound {
        case .text(let text):
            perform(machine.receive(text: text, now: .now))
        case .closed(let reason):
            logger.info("Janus connection closed: \(reason)")
            perform(machine.connectionClosed(reason: reason))
            finish()
        }
    }

    private func tick() {
        perform(machine.tick(now: .now))
    }

    private func perform(_ actions: [Action]) {
        for action in actions {
            switch action {
            case .send(let request):
                do {
                    let text = String(decoding: try encoder.encode(request), as: UTF8.self)
                    connection?.send(text: text)
                } catch {
                    logger.error("cannot encode Janus request \(request.name): \(error)")
                }
            case .emit(let event):
                eventSink.yield(event)
                if case .disconnected = event {
                    let connection = self.connection
                    finish()
                    Task { await connection?.close(timeout: .seconds(1)) }
                }
            case .finish(let waiter, let error):
                for continuation in waiters.removeValue(forKey: waiter) ?? [] {
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            }
        }
    }

    /// No more events or calls: stops the clock, ends the event stream and fails any call
    /// still waiting.
    private func finish() {
        guard !finished else { return }
        finished = true
        ticker?.cancel()
        ticker = nil
        eventSink.finish()
        let pending = waiters
        waiters = [:]
        for continuation in pending.values.joined() {
            continuation.resume(throwing: JanusError.connection(reason: "the session ended"))
        }
    }
}
