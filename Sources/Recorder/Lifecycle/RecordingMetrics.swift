import Prometheus
import Synchronization

/// The numbers `GET /metrics` exposes, in the Prometheus text format. The recorder updates
/// them as it works (any thread); every value lives in one Prometheus registry per recording,
/// so parallel recordings (and tests) do not share counters.
///
///     tessera_recording_state{state="RECORDING"} 1        one gauge per state, 1 for the current
///     tessera_participants 3
///     tessera_frames_in_total{stage="decode"} 1200        frames in/out/dropped per pipeline stage
///     tessera_frames_out_total{stage="decode"} 1195
///     tessera_frames_dropped_total{stage="decode"} 5
///     tessera_bytes_written_total 1048576
///     tessera_packets_lost_total 12
///     tessera_webhook_deliveries_total{result="ok"} 4    and result="failed"
public final class RecordingMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private let stateGauges: [RecordingState: Gauge]
    private let participants: Gauge
    private let bytesWritten: Counter
    private let packetsLost: Counter
    private let webhookDeliveriesOK: Counter
    private let webhookDeliveriesFailed: Counter
    /// Stage counters are made on first use; stage names are the recorder's.
    private let stageCounters = Mutex<[String: StageCounters]>([:])

    private struct StageCounters {
        let framesIn: Counter
        let framesOut: Counter
        let framesDropped: Counter
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var stateGauges: [RecordingState: Gauge] = [:]
        for state in RecordingState.allCases {
            stateGauges[state] = registry.makeGauge(
                descriptor: Self.name("recording_state", help: "1 for the recording's current state, 0 for the others"),
                labels: [("state", state.rawValue)])
        }
        self.stateGauges = stateGauges
        participants = registry.makeGauge(
            descriptor: Self.name("participants", help: "Participants in the meeting, not counting the recorder"))
        bytesWritten = registry.makeCounter(
            descriptor: Self.name("bytes_written", unit: "total", help: "Bytes written to the output files"))
        packetsLost = registry.makeCounter(
            descriptor: Self.name("packets_lost", unit: "total", help: "RTP packets never received"))
        let deliveries = Self.name("webhook_deliveries", unit: "total", help: "Status webhooks by final outcome")
        webhookDeliveriesOK = registry.makeCounter(descriptor: deliveries, labels: [("result", "ok")])
        webhookDeliveriesFailed = registry.makeCounter(descriptor: deliveries, labels: [("result", "failed")])
        setState(.invoked)
    }

    private static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tessera", metricName: metric, unitName: unit, helpText: help)
    }

    public func setState(_ state: RecordingState) {
        for (candidate, gauge) in stateGauges {
            gauge.set(to: candidate == state ? 1 : 0)
        }
    }

    public func setParticipants(_ count: Int) {
        participants.set(to: Double(count))
    }

    /// Adds to the frame counters of one pipeline stage (e.g. "jitter", "decode", "composite",
    /// "encode").
    public func countFrames(stage: String, in framesIn: Int = 0, out framesOut: Int = 0, dropped: Int = 0) {
        let counters = stageCounters.withLock { counters in
            if let existing = counters[stage] { return existing }
            let labels = [("stage", stage)]
            let made = StageCounters(
                framesIn: registry.makeCounter(
                    descriptor: Self.name("frames_in", unit: "total", help: "Frames into a pipeline stage"),
                    labels: labels),
                framesOut: registry.makeCounter(
                    descriptor: Self.name("frames_out", unit: "total", help: "Frames out of a pipeline stage"),
                    labels: labels),
                framesDropped: registry.makeCounter(
                    descriptor: Self.name("frames_dropped", unit: "total", help: "Frames a pipeline stage dropped"),
                    labels: labels))
            counters[stage] = made
            return made
        }
        counters.framesIn.increment(by: Int64(framesIn))
        counters.framesOut.increment(by: Int64(framesOut))
        counters.framesDropped.increment(by: Int64(dropped))
    }

    public func countBytesWritten(_ count: Int) {
        bytesWritten.increment(by: Int64(count))
    }

    public func countPacketsLost(_ count: Int) {
        packetsLost.increment(by: Int64(count))
    }

    public func countWebhookDelivery(succeeded: Bool) {
        (succeeded ? webhookDeliveriesOK : webhookDeliveriesFailed).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }
}
