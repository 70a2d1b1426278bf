import Dispatch
import Foundation

/// SIGTERM and SIGINT as events on a queue instead of the default termination: the first asks
/// the recording to finish, a second one to end at once. Processes may start with these signals
/// blocked (some supervisors and test runners spawn children that way), so the trap unblocks
/// them; it must be installed before other threads start, which inherit the mask.
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    /// `handler` gets the signal and how many of the signals arrived so far (1 = the first).
    init(signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (_ signal: Int32, _ count: Int) -> Void) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        let queue = DispatchQueue(label: "tessera.signals")
        let count = Counter()
        sources = signals.map { number in
            // Ignored by the process, seen by the dispatch source.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            // Signals arriving together are coalesced into one event; `data` says how many.
            source.setEventHandler { handler(number, count.add(Int(source.data))) }
            source.resume()
            return source
        }
    }

    /// Only touched on the trap's serial queue.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        func add(_ signals: Int) -> Int {
            value += max(1, signals)
            return value
        }
    }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(signal)"
        }
    }
}
