import Foundation
import Synchronization
@testable import WebRTCTransport

#if canImport(Glibc)
import Glibc

/// A UDP relay on 127.0.0.1 between two peers that drops, delays (and so reorders) and corrupts
/// datagrams, decided by a seeded generator: the user-space stand-in for netem, which this
/// kernel lacks. Each peer is told the relay's address in place of the other's (in the
/// candidates of the SDP it receives); the relay forwards between them in both directions,
/// so each sees the other at the relay's address.
///
/// The decisions are a function of the seed and of the order datagrams arrive in.
final class ImpairmentRelay: Sendable {
    struct Impairment: Sendable {
        /// Fraction of the impaired datagrams dropped.
        var dropRate = 0.0
        /// Each impaired datagram is held a uniformly drawn time from this range; a range wider
        /// than the gap between datagrams reorders them.
        var delay: ClosedRange<Duration> = .zero ... .zero
        /// Fraction of the impaired datagrams whose last byte is flipped (for SRTP: the tag).
        var corruptionRate = 0.0
        /// Which datagrams are impaired; the others pass untouched and at once.
        var applies: @Sendable ([UInt8]) -> Bool = { _ in true }
    }

    struct Statistics: Sendable, Equatable {
        var forwarded = 0
        var impaired = 0
        var dropped = 0
        var corrupted = 0
    }

    /// The two peers, in the order `connect` names them.
    enum Side: Sendable { case first, second }

    /// Where the first peer sends to reach the second, and the second to reach the first.
    let addressForFirst: TransportAddress
    let addressForSecond: TransportAddress

    private struct State {
        var first: TransportAddress?
        var second: TransportAddress?
        var stopped = false
        var towardsFirst = Statistics()
        var towardsSecond = Statistics()
    }

    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    /// Starts relaying; `towardsFirst` applies to what the second peer sends, and vice versa.
    init(seed: UInt64, towardsFirst: Impairment = Impairment(), towardsSecond: Impairment = Impairment()) throws {
        nonisolated(unsafe) let facingFirst = try LoopbackUDPSocket()
        nonisolated(unsafe) let facingSecond = try LoopbackUDPSocket()
        addressForFirst = facingFirst.address
        addressForSecond = facingSecond.address
        let thread = Thread { [self] in
            run(facingFirst: facingFirst, facingSecond: facingSecond, seed: seed,
                towardsFirst: towardsFirst, towardsSecond: towardsSecond)
            finished.signal()
        }
        thread.start()
    }

    /// Tells the relay where the peers really are.
    func connect(first: TransportAddress, second: TransportAddress) {
        state.withLock {
            $0.first = first
            $0.second = second
        }
    }

    /// Stops the relay (waiting at most a second for its thread) and returns what it did,
    /// per direction.
    @discardableResult
    func stop() -> (towardsFirst: Statistics, towardsSecond: Statistics) {
        state.withLock { $0.stopped = true }
        _ = finished.wait(timeout: .now() + 1)
        return state.withLock { ($0.towardsFirst, $0.towardsSecond) }
    }

    func statistics(towards side: Side) -> Statistics {
        state.withLock { side == .first ? $0.towardsFirst : $0.towardsSecond }
    }

    private struct Held {
        var releaseAt: ContinuousClock.Instant
        var bytes: [UInt8]
        var towards: Side
    }

    /// The relay's loop: bounded by `stopped`, which `stop` sets.
    private func run(
        facingFirst: LoopbackUDPSocket, facingSecond: LoopbackUDPSocket, seed: UInt64,
        towardsFirst: Impairment, towardsSecond: Impairment
    ) {
        var random = SeededGenerator(seed: seed)
        var held: [Held] = []
        while true {
            let (stopped, first, second) = state.withLock { ($0.stopped, $0.first, $0.second) }
            if stopped { return }
            let readable = poll([facingFirst.descriptor, facingSecond.descriptor], timeout: .milliseconds(2))
            let now = ContinuousClock.now
            for (socket, towards) in [(facingSecond, Side.first), (facingFirst, Side.second)]
            where readable.contains(socket.descriptor) {
                while let (bytes, _) = socket.receive() {
                    let impairment = towards == .first ? towardsFirst : towardsSecond
                    guard impairment.applies(bytes) else {
                        held.append(Held(releaseAt: now, bytes: bytes, towards: towards))
                        continue
                    }
                    var bytes = bytes
                    // Draw every number for every datagram, so one decision never shifts another.
                    let dropDraw = Double.random(in: 0..<1, using: &random)
                    let corruptDraw = Double.random(in: 0..<1, using: &random)
                    let delayDraw = Double.random(in: 0..<1, using: &random)
                    var statistics = Statistics(impaired: 1)
                    if dropDraw < impairment.dropRate {
                        statistics.dropped = 1
                    } else {
                        if corruptDraw < impairment.corruptionRate, let last = bytes.indices.last {
                            bytes[last] ^= 0xFF
                            statistics.corrupted = 1
                        }
                        let span = impairment.delay.upperBound - impairment.delay.lowerBound
                        held.append(Held(releaseAt: now + impairment.delay.lowerBound + span * delayDraw,
                                         bytes: bytes, towards: towards))
                    }
                    state.withLock { state in
                        if towards == .first { state.towardsFirst.add(statistics) } else { state.towardsSecond.add(statistics) }
                    }
                }
            }
            held.sort { $0.releaseAt < $1.releaseAt }
            while let next = held.first, next.releaseAt <= ContinuousClock.now {
                held.removeFirst()
                switch next.towards {
                case .first:
                    if let first { facingFirst.send(next.bytes, to: first) }
                case .second:
                    if let second { facingSecond.send(next.bytes, to: second) }
                }
                state.withLock { state in
                    if next.towards == .first { state.towardsFirst.forwarded += 1 } else { state.towardsSecond.forwarded += 1 }
                }
            }
        }
    }
}

extension ImpairmentRelay.Statistics {
    fileprivate mutating func add(_ other: Self) {
        forwarded += other.forwarded
        impaired += other.impaired
        dropped += other.dropped
        corrupted += other.corrupted
    }
}

#endif
