import SDP
import Testing

@Suite struct SDPParseErrorTests {
    private func expectError(_ text: String, _ reason: SDPParseError.Reason, line: Int, _ lineText: String) {
        #expect(throws: SDPParseError(reason: reason, lineNumber: line, line: lineText)) {
            try SessionDescription(parsing: text)
        }
    }

    private let head = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"

    @Test func structuralErrorsCarryLineNumberAndText() {
        expectError("", .empty, line: 0, "")
        expectError("\r\n\r\n", .empty, line: 0, "")
        expectError("a=mid:0\r\nv=0\r\n", .missingVersion, line: 1, "a=mid:0")
        expectError("\nv=1\n", .unsupportedVersion, line: 2, "v=1")
        expectError(head + "v=0\r\n", .repeatedVersion, line: 5, "v=0")
        expectError(head + "garbage\r\n", .notATypeValueLine, line: 5, "garbage")
        expectError("v=0\no=- x 2 IN IP4 0.0.0.0\n", .malformedOrigin, line: 2, "o=- x 2 IN IP4 0.0.0.0")
        expectError("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0\n", .malformedTiming, line: 4, "t=0")
        expectError(head + "c=IN IP4\r\n", .malformedConnection, line: 5, "c=IN IP4")
        expectError(head + "m=video 9 UDP/TLS/RTP/SAVPF\r\n", .malformedMedia, line: 5, "m=video 9 UDP/TLS/RTP/SAVPF")
        expectError(head + "m=video nine RTP/AVP 96\r\n", .malformedMedia, line: 5, "m=video nine RTP/AVP 96")
        expectError(head + "m=video 9/x RTP/AVP 96\r\n", .malformedMedia, line: 5, "m=video 9/x RTP/AVP 96")
    }

    @Test func missingSessionLinesAreReportedWhereTheSessionPartEnds() {
        expectError("v=0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n", .missingOrigin, line: 4, "m=audio 9 RTP/AVP 0")
        expectError("v=0\no=- 1 2 IN IP4 0.0.0.0\nt=0 0\n", .missingSessionName, line: 4, "")
        expectError("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\n", .missingTiming, line: 4, "")
    }

    @Test func unknownLinesAreKeptInOrder() throws {
        let text =
            "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nb=AS:300\ni=info\nt=0 0\nr=7d 1h 0 25h\nx=unknown\n"
            + "m=audio 9 RTP/AVP 0\nb=TIAS:64000\ni=audio\ny=more\n"
        let session = try SessionDescription(parsing: text)
        #expect(
            session.otherLines == [
                SDPLine(type: "i", value: "info"), SDPLine(type: "b", value: "AS:300"),
                SDPLine(type: "r", value: "7d 1h 0 25h"),
                SDPLine(type: "x", value: "unknown"),
            ])
        #expect(
            session.media[0].otherLines == [
                SDPLine(type: "i", value: "audio"), SDPLine(type: "b", value: "TIAS:64000"),
                SDPLine(type: "y", value: "more"),
            ])
        #expect(
            session.text
                == "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nb=AS:300\r\nt=0 0\r\nr=7d 1h 0 25h\r\nx=unknown\r\n"
                + "m=audio 9 RTP/AVP 0\r\ni=audio\r\nb=TIAS:64000\r\ny=more\r\n")
    }

    @Test func lineEndingsCRLFLFAndMissingFinalBreak() throws {
        let crlf = try SessionDescription(parsing: head + "m=audio 9 RTP/AVP 0\r\na=mid:a")
        let lf = try SessionDescription(
            parsing: head.replacingOccurrences(of: "\r\n", with: "\n") + "m=audio 9 RTP/AVP 0\na=mid:a\n")
        #expect(crlf == lf)
        #expect(crlf.media[0].mid == "a")
    }
}
