import MediaTypes
import Testing
@testable import Recorder

@Suite struct ParticipantClockTests {
    let audio = TrackID("audio"), video = TrackID("video")

    func rtp90k(_ seconds: Double) -> MediaTime { MediaTime(value: Int64(seconds * 90_000), timescale: 90_000) }
    func rtp48k(_ seconds: Double) -> MediaTime { MediaTime(value: Int64(seconds * 48_000), timescale: 48_000) }
    func ms(_ milliseconds: Int64) -> MediaTime { .milliseconds(milliseconds) }

    @Test func beforeSenderReportsEachTrackIsAnchoredByItsLeastDelayedArrival() {
        var clock = ParticipantClock()
        // Video RTP time starts at an arbitrary 1000 s; packets arrive 100 ms, then 80 ms (less queued), 130 ms late.
        clock.observePacket(track: video, media: rtp90k(1000), arrival: ms(100))
        clock.observePacket(track: video, media: rtp90k(1000.5), arrival: ms(580))
        clock.observePacket(track: video, media: rtp90k(1001), arrival: ms(1130))
        #expect(clock.localTime(track: video, media: rtp90k(1002)) == ms(2080))
        #expect(clock.localTime(track: audio, media: rtp48k(5)) == nil)
    }

    @Test func senderReportsLineUpAudioAndVideoOfOneParticipant() {
        var clock = ParticipantClock()
        // The sender's wall clock: audio RTP 0 and video RTP 900_000 (10 s) are both wall 50 s.
        clock.observeSenderReport(track: audio, media: rtp48k(0), wallClock: .seconds(50))
        clock.observeSenderReport(track: video, media: rtp90k(10), wallClock: .seconds(50))
        // Audio arrives with 20 ms delay, video with 45 ms (pacing): the least delay wins for both.
        clock.observePacket(track: audio, media: rtp48k(1), arrival: .seconds(51) - .seconds(50) + ms(20))
        clock.observePacket(track: video, media: rtp90k(11), arrival: .seconds(51) - .seconds(50) + ms(45))
        let audioAt = clock.localTime(track: audio, media: rtp48k(2))
        let videoAt = clock.localTime(track: video, media: rtp90k(12))
        #expect(audioAt == videoAt)
        #expect(audioAt == ms(2020))
    }

    @Test func driftIsFollowedNotAccumulated() {
        var clock = ParticipantClock()
        // The sender's clock runs 1% slow: arrival - media grows by 10 ms per second.
        for second in 0..<60 {
            let media = rtp48k(Double(second))
            clock.observePacket(track: audio, media: media, arrival: MediaTime.milliseconds(Int64(second) * 1010 + 30))
        }
        let mapped = clock.localTime(track: audio, media: rtp48k(59))!
        // The latest arrival was 59.620 s; an estimate stuck at the first offset would say 59.030.
        #expect(abs((mapped - .milliseconds(59_620)).seconds) < 0.11)
    }
}
