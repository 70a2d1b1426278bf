// Serialization writes lines in one canonical order (RFC 8866 section 5 for the line types,
// then the attributes grouped by purpose, codec attributes per payload type in format order),
// each ending with CRLF.

extension SessionDescription {
    /// The description as SDP text.
    public var text: String {
        var lines = ["v=0", "o=" + origin.value, "s=" + sessionName]
        lines += SDPSerializer.linesWithConnection(otherLines, connection, upToRank: SDPLine.timingRank)
        lines.append("t=" + timing.value)
        lines += otherLines.filter { $0.orderRank >= SDPLine.timingRank }.map(\.text)

        lines += groups.map { "a=group:" + $0.attributeValue }
        lines += mediaStreamIDSemantics.map { "a=msid-semantic:" + $0.attributeValue }
        if iceLite { lines.append("a=ice-lite") }
        lines += sharedAttributeLines
        lines += otherAttributes.map(\.text)

        for section in media { lines += section.lines }
        return lines.map { $0 + "\r\n" }.joined()
    }
}

extension MediaDescription {
    /// The m= line as written.
    public var mediaLine: String {
        let portText = portCount.map { "\(port)/\($0)" } ?? String(port)
        return (["m=" + kind.rawValue, portText, transportProtocol] + formats).joined(separator: " ")
    }

    var lines: [String] {
        var lines = [mediaLine]
        lines += SDPSerializer.linesWithConnection(otherLines, connection, upToRank: Int.max)
        if let mid { lines.append("a=mid:" + mid) }
        lines += sharedAttributeLines
        if rtcpMux { lines.append("a=rtcp-mux") }
        if rtcpReducedSize { lines.append("a=rtcp-rsize") }
        lines += codecLines
        lines += mediaStreamIDs.map { "a=msid:" + $0.attributeValue }
        lines += ssrcGroups.map { "a=ssrc-group:" + $0.attributeValue }
        lines += ssrcAttributes.map { "a=ssrc:" + $0.attributeValue }
        lines += rids.map { "a=rid:" + $0.attributeValue }
        if let simulcast { lines.append("a=simulcast:" + simulcast.attributeValue) }
        lines += candidates.map { "a=candidate:" + $0.attributeValue }
        if endOfCandidates { lines.append("a=end-of-candidates") }
        lines += otherAttributes.map(\.text)
        return lines
    }

    /// rtpmap, rtcp-fb and fmtp grouped per payload type in format order; `*` feedback first,
    /// attributes of payload types the m= line does not list last.
    private var codecLines: [String] {
        let positions = formatPositions
        func ranked(_ payloadType: UInt8?, _ kind: Int, _ text: String) -> (rank: Int, kind: Int, text: String) {
            (MediaDescription.codecRank(of: payloadType, positions), kind, text)
        }
        let all =
            rtpMaps.map { ranked($0.payloadType, 0, "a=rtpmap:" + $0.attributeValue) }
            + rtcpFeedback.map { ranked($0.payloadType, 1, "a=rtcp-fb:" + $0.attributeValue) }
            + formatParameters.map { ranked($0.payloadType, 2, "a=fmtp:" + $0.attributeValue) }
        return all.enumerated()
            .sorted { ($0.element.rank, $0.element.kind, $0.offset) < ($1.element.rank, $1.element.kind, $1.offset) }
            .map(\.element.text)
    }
}

enum SDPSerializer {
    /// Kept lines below `upToRank`, with the typed `c=` line at its place among them.
    static func linesWithConnection(_ kept: [SDPLine], _ connection: Connection?, upToRank: Int) -> [String] {
        var lines = kept.filter { $0.orderRank < SDPLine.connectionRank }.map(\.text)
        if let connection { lines.append("c=" + connection.value) }
        lines += kept.filter { $0.orderRank >= SDPLine.connectionRank && $0.orderRank < upToRank }.map(\.text)
        return lines
    }
}
