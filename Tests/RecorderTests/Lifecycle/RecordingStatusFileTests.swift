import Foundation
import Logging
import Testing

@testable import Recorder

@Suite struct RecordingStatusFileTests {
    let invoked = Date(timeIntervalSince1970: 1_795_680_000)

    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = RecordingStatusFile(nextToOutput: folder + "/acme_1234.mp4")
        #expect(file.path == folder + "/acme_1234.mp4.status.json")

        var lifecycle = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        try file.write(lifecycle.status)
        try lifecycle.apply(.started(outputFileName: "acme_1234.mp4"), at: invoked + 1)
        try file.write(lifecycle.status)

        #expect(try file.read() == lifecycle.status)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["acme_1234.mp4.status.json"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == lifecycle.status.jsonData())
    }

    @Test func aRestartedProcessContinuesFromTheLastState() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = RecordingStatusFile(path: folder + "/status.json")
        var first = RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked)
        try first.apply(.started(outputFileName: "a.mp4"), at: invoked + 1)
        try first.apply(.paused, at: invoked + 2)
        try file.write(first.status)

        var restarted = RecordingLifecycle(restoring: try file.read())
        #expect(restarted.state == .paused)
        let status = try restarted.apply(.resumed, at: invoked + 3)
        #expect(status.startedTime == invoked + 1)
        #expect(status.status == .recording)
    }

    @Test func reportsAMissingFileWithItsPath() {
        let file = RecordingStatusFile(path: "/nonexistent-folder/status.json")
        let error = #expect(throws: RecordingStatusFileError.self) { try file.read() }
        #expect(error?.path == "/nonexistent-folder/status.json")
        #expect(error?.operation == "read")
        #expect(throws: RecordingStatusFileError.self) {
            try file.write(RecordingStatus(id: "r", meetingId: "m", invokedTime: invoked))
        }
    }

    @Test func reporterWritesEveryChangeAndNothingOnARejectedOne() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = RecordingStatusFile(path: folder + "/status.json")
        let metrics = RecordingMetrics()
        let reporter = try RecordingStatusReporter(
            lifecycle: RecordingLifecycle(recordingId: "rec-1", meetingId: "1234", invokedAt: invoked),
            statusFile: file, webhook: nil, metrics: metrics, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            now: { Date(timeIntervalSince1970: 1_795_680_005) })
        #expect(try file.read().status == .invoked)

        try await reporter.apply(.started(outputFileName: "a.mp4"))
        #expect(try file.read().status == .recording)
        #expect(try file.read().startedTime == Date(timeIntervalSince1970: 1_795_680_005))
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_recording_state{state="RECORDING"}"#] == 1)
        #expect(prometheusSamples(metrics.exposition())?[#"tessera_recording_state{state="INVOKED"}"#] == 0)

        await #expect(throws: RecordingReportError.transition(
            RecordingTransitionError(from: .recording, to: .recording, request: "resume"))) {
            try await reporter.apply(.resumed)
        }
        #expect(try file.read().status == .recording)
        try await reporter.apply(.stopped(.apiCall, fileSize: 3, recordingDuration: 0))
        #expect(try file.read().stopReason == .apiCall)
        #expect(await reporter.status.status == .uploading)
    }
}
