import MediaTypes
import RTP

/// What one media SSRC's receiver knows for its RTCP reception report (RFC 3550 section 6.4.1
/// and appendix A.3, A.8): packets expected and received, the extended highest sequence number,
/// interarrival jitter, and the last sender report heard from the source.
///
/// Deterministic: arrival times come in with each packet.
public struct ReceptionStatistics: Sendable {
    public let ssrc: UInt32
    /// RTP timestamp units per second, for the jitter estimate.
    public let clockRate: Int64

    private var sequenceNumbers = WrapAroundUnwrapper<UInt16>()
    private var baseSequence: Int64?
    public private(set) var packetsReceived: Int64 = 0
    private var expectedAtLastReport: Int64 = 0
    private var receivedAtLastReport: Int64 = 0
    /// RFC 3550 A.8's estimate, scaled by 16 to keep its fraction in integer arithmetic.
    private var scaledJitter: Int64 = 0
    private var previousTransit: UInt32?
    private var lastSenderReport: (compactNTP: UInt32, arrival: MediaTime)?

    public init(ssrc: UInt32, clockRate: Int64) {
        self.ssrc = ssrc
        self.clockRate = clockRate
    }

    /// The extended highest sequence number seen (cycles in the upper 16 bits).
    public var extendedHighestSequenceNumber: Int64 { sequenceNumbers.highest ?? 0 }

    /// Counts a packet of the stream. Retransmissions count as received (so a repaired loss is
    /// not reported lost) but leave the jitter alone, since their delay is the repair's.
    public mutating func record(sequenceNumber: UInt16, timestamp: UInt32, arrival: MediaTime, retransmitted: Bool) {
        let sequence = sequenceNumbers.unwrap(sequenceNumber)
        baseSequence = min(baseSequence ?? sequence, sequence)
        packetsReceived += 1
        guard !retransmitted else { return }
        // transit = arrival - timestamp, both in timestamp units (modulo 2^32, as the timestamp
        // wraps); J += (|D| - J) / 16.
        let transit = UInt32(truncatingIfNeeded: arrival.rescaled(to: clockRate)) &- timestamp
        if let previousTransit {
            let difference = abs(Int64(Int32(bitPattern: transit &- previousTransit)))
            scaledJitter += difference - (scaledJitter + 8) / 16
        }
        previousTransit = transit
    }

    /// Remembers a sender report from this source: its NTP time's middle 32 bits and when it came.
    public mutating func recordSenderReport(ntpTimestamp: UInt64, arrival: MediaTime) {
        lastSenderReport = (UInt32(truncatingIfNeeded: ntpTimestamp >> 16), arrival)
    }

    /// The report block at `now`; starts a new interval for `fractionLost`.
    public mutating func makeReport(now: MediaTime) -> ReceptionReport? {
        guard let baseSequence, let highest = sequenceNumbers.highest else { return nil }
        let expected = highest - baseSequence + 1
        let expectedInterval = expected - expectedAtLastReport
        let receivedInterval = packetsReceived - receivedAtLastReport
        expectedAtLastReport = expected
        receivedAtLastReport = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        let fraction = expectedInterval > 0 && lostInterval > 0 ? min(255, lostInterval * 256 / expectedInterval) : 0
        let cumulativeLost = min(max(expected - packetsReceived, -(1 << 23)), (1 << 23) - 1)
        var delaySinceLastSenderReport: UInt32 = 0
        if let lastSenderReport {
            let delay = now - lastSenderReport.arrival
            delaySinceLastSenderReport = UInt32(clamping: max(0, delay.rescaled(to: 65536)))
        }
        return ReceptionReport(
            ssrc: ssrc, fractionLost: UInt8(fraction), cumulativeLost: Int32(cumulativeLost),
            extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: highest),
            jitter: UInt32(clamping: scaledJitter / 16),
            lastSenderReport: lastSenderReport?.compactNTP ?? 0,
            delaySinceLastSenderReport: delaySinceLastSenderReport)
    }
}
