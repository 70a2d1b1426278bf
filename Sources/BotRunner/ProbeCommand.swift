import ArgumentParser
import Foundation
import Recorder
import RTP
import SDP

/// `tessera probe`: what a dump holds, stream by stream, as the replay would see it.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "List the RTP streams of pcap/pcapng captures and Janus .mjr recordings.",
        discussion: "Per stream: SSRC, payload type, codec (and where the codec came from), participant, packets, loss, reorders, duplicates, duration, decoded frames, keyframes, resolution."
    )

    @Argument(help: "Capture files, .mjr files, or folders of .mjr files.") var dumps: [String]
    @Option(help: "SDP describing the payload types (repeatable).") var sdp: [String] = []

    func run() throws {
        let ingest = MediaIngest(sources: try DumpSource.open(dumps), payloadTypes: try payloadTypes(fromSDPFiles: sdp))
        try ingest.advanceToEnd { _ in }
        let reports = ingest.reports
        let counters = ingest.counters
        print("\(counters.datagrams) datagrams: \(counters.rtcpPackets) RTCP, \(counters.notRTP) not RTP, "
            + "\(counters.unknownPayloadType) of unknown payload type, \(reports.count) stream\(reports.count == 1 ? "" : "s")")
        for report in reports { print(describe(report)) }
    }

    func describe(_ report: StreamReport) -> String {
        let statistics = report.jitterBuffer
        var fields = [
            "ssrc 0x\(String(format: "%08x", report.ssrc))", "pt \(report.payloadType)",
            "\(report.codec.rawValue) (\(report.codecSource.rawValue))", "participant \(report.participant)",
            "packets \(report.packets)", "lost \(statistics.packetsLost)", "reordered \(statistics.packetsReordered)",
            "duplicates \(statistics.duplicatePackets)", String(format: "duration %.2f s", report.duration.seconds),
            "frames \(report.framesDecoded)",
        ]
        if report.codec.isVideo {
            fields.append("keyframes \(report.keyframes)")
            fields.append("resolution \(report.resolutions.isEmpty ? "unknown" : report.resolutions.joined(separator: " -> "))")
        }
        if report.decodeErrors > 0 { fields.append("decode errors \(report.decodeErrors)") }
        return fields.joined(separator: "  ")
    }
}

/// The payload types declared by SDP files given on the command line.
func payloadTypes(fromSDPFiles paths: [String]) throws -> PayloadTypeMap {
    var map = PayloadTypeMap()
    for path in paths {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("--sdp \(path): cannot read it (\(error.localizedDescription))")
        }
        do {
            map = PayloadTypeMap(sdp: try SessionDescription(parsing: text)).filled(from: map)
        } catch {
            throw ValidationError("--sdp \(path): \(error)")
        }
    }
    return map
}
