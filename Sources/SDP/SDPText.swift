/// Small tokenizing helpers shared by the line and attribute parsers. The separators SDP uses
/// are ASCII, so they scan UTF-8 bytes (an ASCII byte is always a scalar boundary) instead of
/// grapheme clusters; they only slice substrings and cannot trap on any input.
enum SDPText {
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The lines of `text`, split at CRLF, LF or a lone CR, with empty lines kept so that line
    /// numbers stay right.
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte == lineFeed || byte == carriageReturn else {
                index = utf8.index(after: index)
                continue
            }
            lines.append(text[start..<index])
            index = utf8.index(after: index)
            if byte == carriageReturn, index < utf8.endIndex, utf8[index] == lineFeed {
                index = utf8.index(after: index)
            }
            start = index
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// The space- or tab-separated fields of `text`; runs of blanks count as one separator.
    static func fields(_ text: Substring) -> [Substring] {
        let utf8 = text.utf8
        var fields: [Substring] = []
        var fieldStart: Substring.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let blank = isBlank(utf8[index])
            if blank, let start = fieldStart {
                fields.append(text[start..<index])
                fieldStart = nil
            } else if !blank, fieldStart == nil {
                fieldStart = index
            }
            index = utf8.index(after: index)
        }
        if let start = fieldStart { fields.append(text[start..<utf8.endIndex]) }
        return fields
    }

    /// The pieces of `text` between `separator`s (an ASCII character), empty pieces included.
    static func split(_ text: Substring, separator: Unicode.Scalar) -> [Substring] {
        var pieces: [Substring] = []
        var rest = text
        while case (let head, let tail?) = splitOnce(rest, at: separator) {
            pieces.append(head)
            rest = tail
        }
        pieces.append(rest)
        return pieces
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isBlank($0) }),
            let last = utf8.lastIndex(where: { !isBlank($0) })
        else { return text[text.endIndex...] }
        return text[first...last]
    }

    /// The part before the first `separator` and, if there is one, the part after it.
    static func splitOnce(_ text: Substring, at separator: Unicode.Scalar) -> (head: Substring, tail: Substring?) {
        guard separator.isASCII, let index = text.utf8.firstIndex(of: UInt8(separator.value)) else {
            return (text, nil)
        }
        return (text[..<index], text[text.utf8.index(after: index)...])
    }

    /// The first field of `text` and the trimmed rest after it (nil when there is no rest).
    static func firstField(_ text: Substring) -> (field: Substring, rest: Substring?) {
        let trimmedText = trimmed(text)
        guard let blank = trimmedText.utf8.firstIndex(where: isBlank) else {
            return (trimmedText, nil)
        }
        let rest = trimmed(trimmedText[blank...])
        return (trimmedText[..<blank], rest.isEmpty ? nil : rest)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }
}
