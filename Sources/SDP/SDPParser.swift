// RFC 8866 section 5: a description is a sequence of lines
//   <type>=<value>
// where <type> is one letter. The session part comes first; every m= line starts a media
// section that runs to the next m= line. Lines end with CRLF; a bare LF is accepted too.

extension SessionDescription {
    /// Parses an SDP offer or answer.
    public init(parsing text: String) throws(SDPParseError) {
        var parser = SDPParser()
        let lines = SDPText.lines(text)
        var lastLineNumber = 0
        for (offset, line) in lines.enumerated() where !SDPText.trimmed(line).isEmpty {
            lastLineNumber = offset + 1
            try parser.consume(line, lineNumber: lastLineNumber)
        }
        self = try parser.finish(lineNumber: lastLineNumber + 1)
    }
}

/// The line-by-line state of one parse.
struct SDPParser {
    private var session = SessionDescription(origin: Origin(sessionID: 0, sessionVersion: 0))
    private var sawVersion = false
    private var sawOrigin = false
    private var sawSessionName = false
    private var sawTiming = false
    private var currentMedia: MediaDescription?

    mutating func consume(_ line: Substring, lineNumber: Int) throws(SDPParseError) {
        func failure(_ reason: SDPParseError.Reason) -> SDPParseError {
            SDPParseError(reason: reason, lineNumber: lineNumber, line: String(line))
        }
        guard let type = line.first, line.dropFirst().first == "=" else { throw failure(.notATypeValueLine) }
        let value = line.dropFirst(2)

        guard sawVersion else {
            guard type == "v" else { throw failure(.missingVersion) }
            guard SDPText.trimmed(value) == "0" else { throw failure(.unsupportedVersion) }
            sawVersion = true
            return
        }
        switch type {
        case "v":
            throw failure(.repeatedVersion)
        case "m":
            try checkSessionPart(lineNumber: lineNumber, line: line)
            guard let media = SDPParser.mediaLine(value) else { throw failure(.malformedMedia) }
            finishMedia()
            currentMedia = media
        case "a":
            let (nameText, attributeValue) = SDPText.splitOnce(value, at: ":")
            let name = String(nameText)
            if currentMedia != nil {
                currentMedia?.take(name: name, value: attributeValue)
            } else {
                session.take(name: name, value: attributeValue)
            }
        case "c" where currentMedia?.connection == nil && (currentMedia != nil || session.connection == nil):
            guard let connection = Connection(value: value) else { throw failure(.malformedConnection) }
            if currentMedia != nil { currentMedia?.connection = connection } else { session.connection = connection }
        case "o" where currentMedia == nil && !sawOrigin:
            guard let origin = Origin(value: value) else { throw failure(.malformedOrigin) }
            session.origin = origin
            sawOrigin = true
        case "s" where currentMedia == nil && !sawSessionName:
            session.sessionName = String(value)
            sawSessionName = true
        case "t" where currentMedia == nil && !sawTiming:
            guard let timing = Timing(value: value) else { throw failure(.malformedTiming) }
            session.timing = timing
            sawTiming = true
        default:
            let kept = SDPLine(type: type, value: String(value))
            if currentMedia != nil { currentMedia?.otherLines.append(kept) } else { session.otherLines.append(kept) }
        }
    }

    mutating func finish(lineNumber: Int) throws(SDPParseError) -> SessionDescription {
        guard sawVersion else { throw SDPParseError(reason: .empty, lineNumber: 0, line: "") }
        try checkSessionPart(lineNumber: lineNumber, line: "")
        finishMedia()
        session.otherLines = session.otherLines.stableSorted { $0.orderRank }
        return session
    }

    private func checkSessionPart(lineNumber: Int, line: Substring) throws(SDPParseError) {
        guard currentMedia == nil else { return }
        let missing: SDPParseError.Reason? =
            !sawOrigin ? .missingOrigin : !sawSessionName ? .missingSessionName : !sawTiming ? .missingTiming : nil
        if let missing { throw SDPParseError(reason: missing, lineNumber: lineNumber, line: String(line)) }
    }

    private mutating func finishMedia() {
        guard var media = currentMedia else { return }
        media.normalizeOrder()
        session.media.append(media)
        currentMedia = nil
    }

    private static func mediaLine(_ value: Substring) -> MediaDescription? {
        let fields = SDPText.fields(value)
        guard fields.count >= 4 else { return nil }
        let (portText, countText) = SDPText.splitOnce(fields[1], at: "/")
        guard let port = UInt16(portText) else { return nil }
        var portCount: UInt16?
        if let countText {
            guard let count = UInt16(countText) else { return nil }
            portCount = count
        }
        return MediaDescription(
            kind: MediaKind(rawValue: String(fields[0])), port: port, portCount: portCount,
            transportProtocol: String(fields[2]), formats: fields.dropFirst(3).map(String.init))
    }
}

extension SessionDescription {
    /// Stores one session-level attribute in its typed field, or keeps it as written.
    mutating func take(name: String, value: Substring?) {
        if takeSharedAttribute(name: name, value: value) { return }
        switch (name, value) {
        case ("group", let value?):
            if let group = MediaGroup(attributeValue: value) { return groups.append(group) }
        case ("msid-semantic", let value?):
            if let semantic = MediaStreamIDSemantic(attributeValue: value) {
                return mediaStreamIDSemantics.append(semantic)
            }
        case ("ice-lite", nil):
            iceLite = true
            return
        default: break
        }
        otherAttributes.append(Attribute(name: name, value: value.map(String.init)))
    }
}

extension MediaDescription {
    /// Stores one media-level attribute in its typed field, or keeps it as written.
    mutating func take(name: String, value: Substring?) {
        if takeSharedAttribute(name: name, value: value) { return }
        switch (name, value) {
        case ("mid", let value?):
            mid = String(value)
            return
        case ("rtcp-mux", nil):
            rtcpMux = true
            return
        case ("rtcp-rsize", nil):
            rtcpReducedSize = true
            return
        case ("end-of-candidates", nil):
            endOfCandidates = true
            return
        case ("rtpmap", let value?):
            if let map = RTPMap(attributeValue: value) { return rtpMaps.append(map) }
        case ("fmtp", let value?):
            if let parameters = FormatParameters(attributeValue: value) { return formatParameters.append(parameters) }
        case ("rtcp-fb", let value?):
            if let feedback = RTCPFeedback(attributeValue: value) { return rtcpFeedback.append(feedback) }
        case ("msid", let value?):
            if let id = MediaStreamID(attributeValue: value) { return mediaStreamIDs.append(id) }
        case ("ssrc", let value?):
            if let attribute = SSRCAttribute(attributeValue: value) { return ssrcAttributes.append(attribute) }
        case ("ssrc-group", let value?):
            if let group = SSRCGroup(attributeValue: value) { return ssrcGroups.append(group) }
        case ("rid", let value?):
            if let rid = RID(attributeValue: value) { return rids.append(rid) }
        case ("simulcast", let value?):
            if let parsed = Simulcast(attributeValue: value) {
                simulcast = parsed
                return
            }
        case ("candidate", let value?):
            if let candidate = try? ICECandidate(attributeValue: value, candidate: String(value)) {
                return candidates.append(candidate)
            }
        default: break
        }
        otherAttributes.append(Attribute(name: name, value: value.map(String.init)))
    }

    /// Orders kept lines and codec attributes the way serialization writes them, so that a
    /// parsed description equals the parse of its own serialization.
    mutating func normalizeOrder() {
        let positions = formatPositions
        otherLines = otherLines.stableSorted { $0.orderRank }
        rtpMaps = rtpMaps.stableSorted { MediaDescription.codecRank(of: $0.payloadType, positions) }
        rtcpFeedback = rtcpFeedback.stableSorted { MediaDescription.codecRank(of: $0.payloadType, positions) }
        formatParameters = formatParameters.stableSorted { MediaDescription.codecRank(of: $0.payloadType, positions) }
    }

    /// The position of each payload type in the format list (its first occurrence).
    var formatPositions: [UInt8: Int] {
        var positions: [UInt8: Int] = [:]
        for (index, format) in formats.enumerated() {
            if let payloadType = RTPMap.payloadType(Substring(format)), positions[payloadType] == nil {
                positions[payloadType] = index
            }
        }
        return positions
    }

    /// Where codec attributes for `payloadType` are written: -1 for `*`, the position in the
    /// format list, or after all formats for payload types the m= line does not list.
    static func codecRank(of payloadType: UInt8?, _ positions: [UInt8: Int]) -> Int {
        guard let payloadType else { return -1 }
        return positions[payloadType] ?? Int.max
    }
}

extension Array {
    /// Sorted by `rank`, keeping the order of elements of equal rank.
    func stableSorted(by rank: (Element) -> Int) -> [Element] {
        let ranks = map(rank)
        guard zip(ranks, ranks.dropFirst()).contains(where: { $0 > $1 }) else { return self }
        return
            indices
            .sorted { ranks[$0] != ranks[$1] ? ranks[$0] < ranks[$1] : $0 < $1 }
            .map { self[$0] }
    }
}
