import TestSupport
import SDP
import Testing

/// Truncated and randomly mutated real descriptions: the parser returns a description or a
/// typed error, never traps; what it returns serializes and parses back to itself, and an
/// answer can be built from it.
@Suite struct RobustnessTests {
    /// Every cut of the descriptions Janus wrote; for the others (larger, and parsing is slow
    /// in debug builds) every line end and every 5th byte.
    @Test(arguments: Fixture.all)
    func truncationsParseOrThrow(name: String) throws {
        let bytes = Array(try Fixture.desanitizedText(name).utf8)
        let everyByte = name.hasPrefix("janus")
        var cuts = Set(stride(from: 0, through: bytes.count, by: everyByte ? 1 : 5))
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            cuts.formUnion([offset - 1, offset, offset + 1])
        }
        var parsed = 0
        for length in cuts.sorted() where length >= 0 && length <= bytes.count {
            if check(String(decoding: bytes[..<length], as: UTF8.self)) { parsed += 1 }
        }
        // Every cut after the t= line leaves a description.
        #expect(parsed > cuts.count / 2)
    }

    @Test(arguments: Fixture.all)
    func seededMutationsParseOrThrow(name: String) throws {
        let original = Array(try Fixture.desanitizedText(name).utf8)
        var random = SeededGenerator(seed: 0x5D9_0000 &+ UInt64(original.count))
        var outcomes = (parsed: 0, failed: 0)
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<(1 + random.next(below: 4)) { mutate(&bytes, &random) }
            if check(String(decoding: bytes, as: UTF8.self)) { outcomes.parsed += 1 } else { outcomes.failed += 1 }
        }
        #expect(outcomes.parsed + outcomes.failed == 150)
        #expect(outcomes.parsed > 0)
    }

    @Test func candidateParserSurvivesMutations() {
        let original = Array(
            "a=candidate:2787345670 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.0.2.10 rport 54321 generation 0 network-id 1"
                .utf8)
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<(1 + random.next(below: 3)) { mutate(&bytes, &random) }
            if let candidate = try? ICECandidate(parsing: String(decoding: bytes, as: UTF8.self)) {
                #expect((try? ICECandidate(parsing: candidate.signalingString)) == candidate)
            }
        }
    }

    /// Parses `text`; on success checks the round trip and builds an answer. Returns whether it parsed.
    private func check(_ text: String) -> Bool {
        do {
            let parsed = try SessionDescription(parsing: text)
            let reparsed = try? SessionDescription(parsing: parsed.text)
            #expect(reparsed == parsed, "round trip of: \(text)")
            let answer = SessionDescription.answer(
                to: parsed,
                configuration: AnswerConfiguration(
                    iceCredentials: ICECredentials(usernameFragment: "u", password: "p"), fingerprints: [], sessionID: 1
                ))
            #expect(answer.session.media.count == parsed.media.count)
            #expect((try? SessionDescription(parsing: answer.session.text)) == answer.session)
            return true
        } catch {
            let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
            #expect((0...lineCount + 1).contains(error.lineNumber))
            #expect(error.line.isEmpty || text.contains(error.line))
            return false
        }
    }

    /// One random edit, biased towards the bytes SDP's grammar cares about.
    private func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        let interesting = Array(" :=/;,~\r\n-0123456789am*".utf8) + [0x00, 0x7F, 0xC3, 0xFF]
        let position = bytes.isEmpty ? 0 : random.next(below: bytes.count)
        switch random.next(below: 6) {
        case 0 where !bytes.isEmpty:
            bytes[position] = interesting[random.next(below: interesting.count)]
        case 1:
            bytes.insert(interesting[random.next(below: interesting.count)], at: position)
        case 2 where !bytes.isEmpty:
            let end = min(bytes.count, position + 1 + random.next(below: 40))
            bytes.removeSubrange(position..<end)
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, position + 1 + random.next(below: 60))
            let copy = bytes[position..<end]
            bytes.insert(contentsOf: copy, at: random.next(below: bytes.count))
        case 4 where !bytes.isEmpty:
            bytes[position] = UInt8(truncatingIfNeeded: random.next(below: 256))
        default:
            bytes.insert(contentsOf: Array("\r\na=".utf8), at: position)
        }
    }
}

