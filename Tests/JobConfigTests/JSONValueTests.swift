import TestSupport
import Foundation
import Testing

@testable import JobConfig

@Suite struct JSONValueTests {
    @Test func keepsBooleansIntegersAndFractionsApart() throws {
        let value = try JSONValue(parsing: Data(#"[true, 1, 0, 1.5, 1e3, "x", null, {"a": []}]"#.utf8))
        #expect(value == .array([
            .bool(true), .integer(1), .integer(0), .number(1.5), .integer(1000), .string("x"), .null,
            .object(["a": .array([])]),
        ]))
    }

    @Test func literalsQuoteAndEscapeStrings() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}").literal == #""a\"b\\c\n\u0001""#)
        #expect(JSONValue.number(1.5).literal == "1.5")
        #expect(JSONValue.object([:]).literal == "an object")
    }

    @Test func syntaxErrorsSayWhere() {
        #expect(throws: JSONSyntaxError(reason: "Invalid value around character 11.")) {
            try JSONValue(parsing: Data("{\"a\": [1,\n x]}".utf8))
        }
    }

    /// Every prefix of a real job, and random bytes, give issues or a config, never a trap.
    @Test func truncatedAndRandomDocumentsAreRejectedCleanly() {
        let bytes = Array(specExampleJob.utf8)
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let prefix = String(decoding: bytes[..<length], as: UTF8.self)
            #expect(!resolve(job: prefix).issues.isEmpty, "prefix of \(length) bytes")
        }
        var generator = SeededGenerator(seed: 0x7E55E7A)
        for _ in 0..<200 {
            let length = Int.random(in: 0..<64, using: &generator)
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(!resolve(job: String(decoding: noise, as: UTF8.self)).issues.isEmpty)
        }
    }
}

