import Foundation
import MediaTypes
import RTP

/// One opened recording input: a pcap/pcapng capture or one Janus `.mjr` track.
public struct DumpSource {
    public let path: String
    /// The next datagram in capture order, nil at the end.
    let next: () throws -> CapturedDatagram?
    /// `.mjr` files name their participant and codec; captures leave both to the packets.
    let participant: ParticipantID?
    let codec: Codec?

    /// Datagrams already in memory (a test's altered capture, say), in capture order.
    public init(name: String, datagrams: [CapturedDatagram], participant: ParticipantID? = nil, codec: Codec? = nil) {
        var remaining = datagrams[...]
        self.init(path: name, next: { remaining.popFirst() }, participant: participant, codec: codec)
    }

    init(path: String, next: @escaping () throws -> CapturedDatagram?, participant: ParticipantID?, codec: Codec?) {
        self.path = path
        self.next = next
        self.participant = participant
        self.codec = codec
    }

    /// Opens every input of `paths`: capture files, `.mjr` files, and folders of `.mjr` files
    /// (their tracks grouped into participants by the Janus file-name prefix).
    public static func open(_ paths: [String]) throws -> [DumpSource] {
        var sources: [DumpSource] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw DumpError.unreadable(path: path, reason: "no such file or folder")
            }
            if isFolder.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".mjr") }.sorted()
                guard !names.isEmpty else { throw DumpError.unreadable(path: path, reason: "folder holds no .mjr files") }
                sources += try names.map { try open(file: (path as NSString).appendingPathComponent($0)) }
            } else {
                sources.append(try open(file: path))
            }
        }
        return sources
    }

    static func open(file path: String) throws -> DumpSource {
        let reader = try DumpReader.open(path)
        guard let header = reader.mjrHeader else {
            return DumpSource(path: path, next: reader.next, participant: nil, codec: nil)
        }
        let codec: Codec? = switch header.codec.lowercased() {
        case "vp8": .vp8
        case "h264": .h264
        case "opus": .opus
        default: nil
        }
        return DumpSource(path: path, next: reader.next, participant: janusParticipant(fileName: (path as NSString).lastPathComponent), codec: codec)
    }

    /// `videoroom-1234-user-42-1700000000-video-0.mjr` -> `videoroom-1234-user-42-1700000000`:
    /// Janus names every track of a publisher with one prefix and a `-audio`/`-video`/`-data` suffix.
    static func janusParticipant(fileName: String) -> ParticipantID {
        let stem = fileName.hasSuffix(".mjr") ? String(fileName.dropLast(4)) : fileName
        var parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        if let last = parts.last, Int(last) != nil, parts.count > 1, ["audio", "video", "data"].contains(parts[parts.count - 2]) {
            parts.removeLast()
        }
        if let last = parts.last, ["audio", "video", "data"].contains(last), parts.count > 1 { parts.removeLast() }
        return ParticipantID(parts.joined(separator: "-"))
    }
}

extension DumpSource {
    /// First and last capture time across `paths` (a quick pass that decodes nothing), to show
    /// a replay's progress as a fraction.
    public static func captureSpan(_ paths: [String]) throws -> (first: MediaTime, last: MediaTime)? {
        var span: (first: MediaTime, last: MediaTime)?
        for source in try open(paths) {
            while let datagram = try source.next() {
                let time = datagram.captureTime
                span = span.map { (min($0.first, time), max($0.last, time)) } ?? (time, time)
            }
        }
        return span
    }
}
