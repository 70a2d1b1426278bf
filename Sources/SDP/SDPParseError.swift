/// Why a description could not be parsed, with the 1-based line number and the line's text.
/// Only broken structure is an error; unknown lines and attributes are kept instead.
public struct SDPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Equatable, Sendable {
        /// No line at all.
        case empty
        /// The first line is not `v=`.
        case missingVersion
        case unsupportedVersion
        case repeatedVersion
        /// Not of the form `<letter>=<value>`.
        case notATypeValueLine
        case malformedOrigin
        case malformedConnection
        case malformedTiming
        case malformedMedia
        /// The session part ended (at an m= line or the end) without `o=`, `s=` or `t=`.
        case missingOrigin
        case missingSessionName
        case missingTiming
    }

    public var reason: Reason
    /// 1-based; for an error at the end of the text, one past the last non-blank line.
    public var lineNumber: Int
    public var line: String

    public init(reason: Reason, lineNumber: Int, line: String) {
        self.reason = reason
        self.lineNumber = lineNumber
        self.line = line
    }

    public var description: String {
        "SDP line \(lineNumber): \(reason.rawValue): '\(line.prefix(120))'"
    }
}
