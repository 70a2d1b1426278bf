import MediaTypes
import Testing
@testable import WebRTCTransport

@Suite struct ReceptionStatisticsTests {
    /// 30 fps video on the 90 kHz clock: frame n has timestamp 3000 n and is due at n/30 s.
    static func due(_ frame: Int64) -> MediaTime { MediaTime(value: frame, timescale: 30) }

    @Test func jitterFollowsRFC3550() {
        var statistics = ReceptionStatistics(ssrc: 7, clockRate: 90_000)
        statistics.record(sequenceNumber: 1, timestamp: 0, arrival: Self.due(0), retransmitted: false)
        // 1 ms late (90 units): J = 90 / 16 = 5.625.
        statistics.record(sequenceNumber: 2, timestamp: 3000, arrival: Self.due(1) + .milliseconds(1), retransmitted: false)
        #expect(statistics.makeReport(now: .seconds(1))?.jitter == 5)
        // On time again, |D| = 90 once more: J = 5.625 + (90 - 5.625) / 16 = 10.9.
        statistics.record(sequenceNumber: 3, timestamp: 6000, arrival: Self.due(2), retransmitted: false)
        // A retransmission's delay is the repair's, not the path's: left out.
        statistics.record(sequenceNumber: 4, timestamp: 9000, arrival: Self.due(3) + .milliseconds(500), retransmitted: true)
        #expect(statistics.makeReport(now: .seconds(2))?.jitter == 10)
    }

    @Test func sequenceWrapExtendsTheHighestNumber() {
        var statistics = ReceptionStatistics(ssrc: 7, clockRate: 48_000)
        for (index, sequence) in [UInt16(65_534), 65_535, 1].enumerated() {
            statistics.record(sequenceNumber: sequence, timestamp: UInt32(index) * 960,
                              arrival: .milliseconds(Int64(index) * 20), retransmitted: false)
        }
        let report = statistics.makeReport(now: .seconds(1))
        #expect(report?.extendedHighestSequenceNumber == 65_537)
        #expect(report?.cumulativeLost == 1)  // sequence 0
        #expect(report?.fractionLost == 64)  // 1 of 4
        #expect(report?.lastSenderReport == 0 && report?.delaySinceLastSenderReport == 0)
    }

    @Test func noPacketsNoReport() {
        var statistics = ReceptionStatistics(ssrc: 7, clockRate: 90_000)
        #expect(statistics.makeReport(now: .seconds(1)) == nil)
    }
}
