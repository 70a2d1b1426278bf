import Foundation
import JobConfig
import Logging
import Testing

@testable import Recorder

@Suite struct RecordingLogHandlerTests {
    @Test func writesOneJSONObjectPerLineWithTheRecordingId() throws {
        let logs = CapturedLogLines()
        var logger = logs.logger(format: .json, recordingId: "rec-42")
        logger[metadataKey: "component"] = "webhook"
        logger[metadataKey: "attempt"] = "1"
        logger.info("delivered \"ok\"", metadata: ["attempt": "2", "tags": ["a", "b"]])
        logger.debug("second\nline")
        logger.trace("below the level")

        let lines = logs.text.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["recording_id"] as? String == "rec-42")
        #expect(first["message"] as? String == "delivered \"ok\"")
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "tessera")
        #expect(first["component"] as? String == "webhook")
        #expect(first["attempt"] as? String == "2")
        #expect(first["tags"] as? [String] == ["a", "b"])
        let time = try #require(first["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "second\nline")
        #expect(second["recording_id"] as? String == "rec-42")
    }

    @Test func writesTextLinesWithTheRecordingId() throws {
        let logs = CapturedLogLines()
        let logger = logs.logger(format: .text, recordingId: "rec-42")
        logger.warning("retrying", metadata: ["error": "connection refused", "attempt": "3"])
        let line = try #require(logs.text.split(separator: "\n").first)
        let afterTime = try #require(line.firstIndex(of: " "))
        #expect(line[afterTime...] == #" warning tessera recording_id=rec-42 retrying attempt=3 error="connection refused""#)
    }

    @Test func neverWritesASecret() {
        for format in RecordingLogHandler.Format.allCases {
            let logs = CapturedLogLines()
            let logger = logs.logger(format: format)
            let secret = Secret("s3cr3t-storage-key")
            logger.info("storage configured with key \(secret)", metadata: [
                "secret": .stringConvertible(secret), "nested": ["key": .stringConvertible(secret)],
            ])
            #expect(!logs.text.contains("s3cr3t-storage-key"))
            #expect(logs.text.contains("***"))
            #expect(logs.text.contains("recording_id"))
        }
    }
}
