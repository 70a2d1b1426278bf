import Foundation
import Testing

@testable import Recorder

@Suite struct RecordingLifecycleTests {
    let invoked = Date(timeIntervalSince1970: 1_795_680_000)

    @Test func allowsExactlyTheDocumentedTransitions() {
        let allowed: Set<String> = [
            "INVOKED->RECORDING", "RECORDING->PAUSED", "PAUSED->RECORDING", "RECORDING->UPLOADING",
            "PAUSED->UPLOADING", "UPLOADING->UPLOADED",
            "INVOKED->ERRORED", "RECORDING->ERRORED", "PAUSED->ERRORED", "UPLOADING->ERRORED",
        ]
        var seen: Set<String> = []
        for from in RecordingState.allCases {
            for to in RecordingState.allCases where from.canTransition(to: to) {
                seen.insert("\(from.rawValue)->\(to.rawValue)")
            }
        }
        #expect(seen == allowed)
    }

    @Test func walksThroughEveryStateWithTimesAndOutput() throws {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        #expect(lifecycle.state == .invoked)
        try lifecycle.apply(.started(outputFileName: "acme_1234_1795680001000.mp4"), at: invoked + 1)
        try lifecycle.apply(.paused, at: invoked + 10)
        try lifecycle.apply(.resumed, at: invoked + 20)
        try lifecycle.apply(.stopped(.maxSeconds, fileSize: 5_000_000, recordingDuration: 30), at: invoked + 41)
        let expiry = invoked + 86_400
        let status = try lifecycle.apply(
            .uploaded(downloadUrl: "https://s3.example/acme.mp4", audioDownloadUrl: nil, downloadUrlExpiry: expiry),
            at: invoked + 45)
        #expect(status.status == .uploaded)
        #expect(status.id == "rec-1")
        #expect(status.meetingId == "1234")
        #expect(status.invokedTime == invoked)
        #expect(status.startedTime == invoked + 1)
        #expect(status.stoppedTime == invoked + 41)
        #expect(status.outputFileName == "acme_1234_1795680001000.mp4")
        #expect(status.fileSize == 5_000_000)
        #expect(status.recordingDuration == 30)
        #expect(status.stopReason == .maxSeconds)
        #expect(status.downloadUrl == "https://s3.example/acme.mp4")
        #expect(status.downloadUrlExpiry == expiry)
        #expect(status.errorMessage == nil)
    }

    @Test func rejectsIllegalTransitionsAndKeepsTheStatus() throws {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        let before = lifecycle.status
        #expect(throws: RecordingTransitionError(from: .invoked, to: .paused, request: "pause")) {
            try lifecycle.apply(.paused, at: invoked + 1)
        }
        #expect(lifecycle.status == before)

        try lifecycle.apply(.started(outputFileName: "a.mp4"), at: invoked + 1)
        try lifecycle.apply(.stopped(.signal, fileSize: nil, recordingDuration: nil), at: invoked + 2)
        let error = #expect(throws: RecordingTransitionError.self) {
            try lifecycle.apply(.resumed, at: invoked + 3)
        }
        #expect(error?.description == "cannot resume a recording that is UPLOADING (UPLOADING -> RECORDING is not allowed)")
        try lifecycle.apply(.uploaded(downloadUrl: nil, audioDownloadUrl: nil, downloadUrlExpiry: nil), at: invoked + 4)
        // Final states stay final.
        #expect(throws: RecordingTransitionError(from: .uploaded, to: .errored, request: "fail")) {
            try lifecycle.apply(.failed(message: "late"), at: invoked + 5)
        }
        #expect(lifecycle.state == .uploaded)
    }

    @Test func failureWhileRecordingIsAnInternalErrorStop() throws {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        try lifecycle.apply(.started(outputFileName: "a.mp4"), at: invoked + 1)
        let status = try lifecycle.apply(.failed(message: "encoder: out of memory"), at: invoked + 7)
        #expect(status.status == .errored)
        #expect(status.stopReason == .internalError)
        #expect(status.stoppedTime == invoked + 7)
        #expect(status.errorMessage == "encoder: out of memory")
    }

    @Test func failureDuringUploadKeepsTheStopReason() throws {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        try lifecycle.apply(.started(outputFileName: "a.mp4"), at: invoked + 1)
        try lifecycle.apply(.stopped(.allParticipantsLeft, fileSize: 10, recordingDuration: 1), at: invoked + 2)
        let status = try lifecycle.apply(.failed(message: "upload failed; file kept at /out/a.mp4"), at: invoked + 9)
        #expect(status.stopReason == .allParticipantsLeft)
        #expect(status.stoppedTime == invoked + 2)
        #expect(status.fileSize == 10)
    }

    @Test func mapsTheFinalStateToTheExitCodes() throws {
        func ended(after events: [RecordingEvent]) throws -> Int32? {
            var lifecycle = RecordingLifecycle(recordingId: "r", meetingId: "m", invokedAt: invoked)
            for event in events { try lifecycle.apply(event, at: invoked + 1) }
            return lifecycle.exitCode
        }
        let stop = RecordingEvent.stopped(.signal, fileSize: 1, recordingDuration: 1)
        let start = RecordingEvent.started(outputFileName: "a.mp4")
        #expect(try ended(after: [start, stop, .uploaded(downloadUrl: nil, audioDownloadUrl: nil, downloadUrlExpiry: nil)]) == 0)
        #expect(try ended(after: [.failed(message: "join refused")]) == 3)
        #expect(try ended(after: [start, .paused, .failed(message: "encoder")]) == 4)
        #expect(try ended(after: [start, stop, .failed(message: "upload")]) == 5)
        #expect(try ended(after: [start, stop]) == nil)
    }

    @Test func encodesEveryKeyInCamelCaseWithNulls() throws {
        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "room-a", invokedAt: invoked)
        try lifecycle.apply(.started(outputFileName: "room-a_1795680000250.webm"), at: invoked + 0.25)
        let json = String(decoding: lifecycle.status.jsonData(), as: UTF8.self)
        #expect(
            json == """
                {"audioDownloadUrl":null,"downloadUrl":null,"downloadUrlExpiry":null,"errorMessage":null,\
                "fileSize":null,"id":"rec-1","invokedTime":"2026-11-26T08:00:00.000Z","meetingId":"room-a",\
                "outputFileName":"room-a_1795680000250.webm","recordingDuration":null,\
                "startedTime":"2026-11-26T08:00:00.250Z","status":"RECORDING","stopReason":null,\
                "stoppedTime":null}
                """)
        let decoded = try JSONDecoder().decode(RecordingStatus.self, from: Data(json.utf8))
        #expect(decoded == lifecycle.status)
    }

    @Test func rejectsATimeWithoutMilliseconds() {
        let json = #"{"id":"r","meetingId":"m","status":"INVOKED","invokedTime":"yesterday"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RecordingStatus.self, from: Data(json.utf8))
        }
    }
}
