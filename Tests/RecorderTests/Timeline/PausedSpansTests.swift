import MediaTypes
import Testing
@testable import Recorder

@Suite struct PausedSpansTests {
    @Test func withoutPausesTimeIsUnchanged() {
        let spans = PausedSpans()
        #expect(spans.outputTime(for: .milliseconds(1234)) == .milliseconds(1234))
        #expect(!spans.isPaused)
    }

    @Test func pausedSpansAreDroppedAndLaterTimesMoveEarlier() {
        var spans = PausedSpans()
        spans.pause(at: .seconds(2))
        #expect(spans.isPaused)
        #expect(spans.outputTime(for: .milliseconds(1999)) == .milliseconds(1999))
        #expect(spans.outputTime(for: .seconds(2)) == nil)
        #expect(spans.outputTime(for: .seconds(100)) == nil, "nothing after an open pause counts yet")
        spans.resume(at: .seconds(5))
        #expect(!spans.isPaused)
        #expect(spans.outputTime(for: .milliseconds(4999)) == nil)
        #expect(spans.outputTime(for: .seconds(5)) == .seconds(2))
        spans.pause(at: .seconds(6))
        spans.resume(at: .milliseconds(6500))
        #expect(spans.outputTime(for: .milliseconds(6200)) == nil)
        #expect(spans.outputTime(for: .seconds(10)) == .milliseconds(6500))
    }

    @Test func repeatedRequestsKeepTheFirstPauseAndIgnoreStrayResumes() {
        var spans = PausedSpans()
        spans.resume(at: .seconds(1))
        spans.pause(at: .seconds(2))
        spans.pause(at: .seconds(3))
        spans.resume(at: .seconds(4))
        spans.resume(at: .seconds(9))
        #expect(spans.outputTime(for: .seconds(10)) == .seconds(8))
    }
}
