import Foundation
import MediaTypes
import Recorder
import TestSupport
import Testing
@testable import Compositor

/// `tessera record` in a real meeting: Debian's Janus in a network namespace of the test's own,
/// aiortc participants publishing known pictures and tones (scripts/testbed), the bot joining
/// from the other end of the veth pair. What a user checks: the file, decoded.
@Suite(.serialized, .enabled(if: JanusTestbed.isAvailable, "needs root, Debian's janus and aiortc (scripts/install-deps)"))
struct RecordCommandTests {
    struct Status: Decodable {
        let status: String
        let stopReason: String?
        let outputFileName: String?
    }

    let folder = NSTemporaryDirectory() + "tessera-record-\(UUID().uuidString.prefix(8))"

    /// Starts `tessera record` on the test bed's room (640x360) and waits until it has joined.
    func startRecorder(_ bed: JanusTestbed, maxSeconds: Int, labels: Bool = true) async throws -> TesseraProcess.Running {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let job: [String: Any] = [
            "meeting": ["signaling": "janus", "url": bed.url, "room": 1234, "display_name": "recorder"],
            "file_name_prefix": "live",
            "max_seconds": maxSeconds,
            "empty_meeting_timeout_seconds": 60,
            "video_config": ["width": 640, "height": 360, "fps": 30, "layout": ["labels": labels]],
        ]
        let path = folder + "/job.json"
        try JSONSerialization.data(withJSONObject: job).write(to: URL(fileURLWithPath: path))
        let bot = try TesseraProcess.start([
            "record", "--job", path, "--output-dir", folder + "/out", "--ice-address", bed.hostAddress,
        ])
        #expect(await bot.waitForErrors(containing: "joined the meeting", timeout: .seconds(30)), "\(bot.errorsSoFar)")
        return bot
    }

    func recording() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/out").filter { $0.hasSuffix(".mp4") }
        let name = try #require(names.first, "no recording in \(folder)/out")
        return folder + "/out/" + name
    }

    /// Three participants: 0 (VP8) throughout, 1 (H.264) leaving after about 6 s, 2 (VP8)
    /// joining about 6 s in. Each flashes and beeps every second.
    @Test func recordsWhoIsThereWithTheirTonesInSync() async throws {
        try await JanusTestbed.with { bed in
            // No name labels: they would cover the frame counters the test reads.
            let bot = try await startRecorder(bed, maxSeconds: 13, labels: false)
            _ = try bed.publish(index: 0, codec: "vp8", seconds: 15, flashEvery: 1)
            let second = try bed.publish(index: 1, codec: "h264", seconds: 6, flashEvery: 1)
            _ = try bed.publish(index: 2, codec: "vp8", seconds: 10, joinDelay: 6, flashEvery: 1)
            let result = await bot.wait(timeout: .seconds(90))
            try result.errors.write(toFile: folder + "/bot.log", atomically: false, encoding: .utf8)
            #expect(result.status == 0, "\(result.errors)")
            let out = try recording()
            let status = try JSONDecoder().decode(Status.self, from: Data(contentsOf: URL(fileURLWithPath: out + ".status.json")))
            #expect(status.status == "UPLOADED")
            #expect(status.stopReason == "MAX_SECONDS")

            let media = try MediaFileReader.decode(out)
            let duration = try #require(media.formatDuration)
            #expect(duration > 11 && duration < 14, "duration \(duration)")
            let layouts = (1...3).map { count in
                Layouts.grid((0..<count).map { RosterEntry(id: ParticipantID("\($0)"), joinedAt: .zero, sourceSize: PixelSize(width: 320, height: 180)) },
                             PixelSize(width: 640, height: 360), LayoutOptions()).map { Tile(x: $0.picture.x, y: $0.picture.y, width: $0.picture.width, height: $0.picture.height) }
            }
            let readings = CompositeTiles.read(media.videoFrames, layouts: layouts)
            func shown(from: Double, to: Double) -> Set<Int> {
                var seen: Set<Int> = []
                for (frame, tiles) in zip(media.videoFrames, readings) where (from..<to).contains(frame.timestamp.seconds) {
                    seen.formUnion(tiles.map(\.participant))
                }
                return seen
            }
            let last = try #require(media.videoFrames.last?.timestamp.seconds)
            // What became of each video track, and the H.264 sender's own log, for the messages
            // of the checks below.
            let videoTracks = result.errors.split(separator: "\n").filter { $0.contains("frames_decoded=") }.joined(separator: "\n")
                + "\nparticipant 1 (H.264) log:\n" + second.log.suffix(3000)
            // The first publisher's media starts the recording; 2 is not there yet, 1 is gone at the end.
            #expect(shown(from: 0.5, to: 2.5).isSuperset(of: [0, 1]) && !shown(from: 0.5, to: 2.5).contains(2), "\(videoTracks)")
            #expect(shown(from: last - 2, to: last).contains(0) && shown(from: last - 2, to: last).contains(2))
            #expect(!shown(from: last - 2, to: last).contains(1))

            // No frozen tiles: every second, each participant shown has new frames (15 fps
            // sent; at least a third of them, as the shared test machine may delay a few).
            var counters: [Int: [(time: Double, counter: Int)]] = [:]
            for tiles in readings { for reading in tiles where !reading.isFlash && (0...2).contains(reading.participant) { counters[reading.participant, default: []].append((reading.time, reading.frameCounter)) } }
            for (participant, series) in counters {
                for window in stride(from: series.first?.time ?? 0, to: (series.last?.time ?? 0) - 1, by: 1.0) {
                    let inWindow = series.filter { (window..<(window + 1)).contains($0.time) }.map(\.counter)
                    #expect(Set(inWindow).count >= 5, "participant \(participant) froze around \(window) s: counters \(inWindow) (log: \(folder)/bot.log)")
                }
            }

            // Each participant's tone while present (-12 dBFS sent, -3 dB upmix).
            func level(_ frequency: Double, from: Double, to: Double) -> Double {
                let channels = media.audioChannels
                let start = max(0, Int((from - (media.audioStartTime ?? 0)) * 48_000)) * channels
                let end = min(media.audioSamples.count, Int((to - (media.audioStartTime ?? 0)) * 48_000) * channels)
                return SoundMetrics.toneAmplitude(media.audioSamples[start..<end], channels: channels, frequency: frequency)
            }
            #expect(level(400, from: 1.1, to: 1.9) > 0.1)
            #expect(level(500, from: 1.1, to: 1.9) > 0.1)
            #expect(level(600, from: last - 1.9, to: last - 1.1) > 0.1)
            #expect(level(500, from: last - 1.9, to: last - 1.1) < 0.01, "participant 1 has left")

            // Lip sync: each beep within 40 ms of its flash.
            let sync = CompositeTiles.lipSync(readings, audio: media, participants: [0, 1, 2], beepAmplitude: 0.35)
            for (index, (offsets, flashes)) in sync {
                let measured = offsets.compactMap { $0 }
                #expect(measured.count >= max(2, flashes.count - 2), "participant \(index): flashes \(flashes), offsets \(offsets)\n\(videoTracks)")
                for offset in measured { #expect(abs(offset) <= 0.040, "participant \(index): beep - flash = \(Int(offset * 1000)) ms") }
            }
            print("live lip sync (beep - flash, ms):", sync.sorted { $0.key < $1.key }.map { "p\($0.key) \($0.value.offsets.compactMap { $0 }.map { Int(($0 * 1000).rounded()) })" }.joined(separator: ", "))
        }
    }

    /// The meeting server stops mid-recording: the bot says so, finishes the file with what it
    /// recorded and exits 4 (recording failed, file kept and named).
    @Test func losingTheMeetingServerKeepsWhatWasRecorded() async throws {
        try await JanusTestbed.with { bed in
            let bot = try await startRecorder(bed, maxSeconds: 60)
            _ = try bed.publish(index: 0, codec: "vp8", seconds: 30)
            #expect(await bot.waitForErrors(containing: "status=RECORDING", timeout: .seconds(30)), "\(bot.errorsSoFar)")
            try await Task.sleep(for: .seconds(4))
            await bed.stopJanus()
            let result = await bot.wait(timeout: .seconds(60))
            #expect(result.status == 4, "\(result.errors)")
            #expect(result.errors.contains("lost the meeting server"))
            let out = try recording()
            #expect(result.errors.contains("kept at \(out)"))
            let status = try JSONDecoder().decode(Status.self, from: Data(contentsOf: URL(fileURLWithPath: out + ".status.json")))
            #expect(status.status == "ERRORED")
            let media = try MediaFileReader.decode(out)
            #expect((try #require(media.formatDuration)) > 2.5)
            #expect(media.videoFrames.count > 60)

            // The name the meeting gives the participant, on their tile (the whole canvas): where
            // the label's text is, bright; where only its box is (2 px from any text), dark.
            let label = try #require(try NameLabels(height: 16).render("participant-0", maxWidth: 632))
            let frame = media.videoFrames[media.videoFrames.count / 2]
            let origin = (x: CanvasCompositor.labelMargin, y: 360 - CanvasCompositor.labelMargin - 16)
            func opacity(_ x: Int, _ y: Int) -> UInt8 { label.opacity[.y, min(max(x, 0), label.size.width - 1), min(max(y, 0), 15)] }
            var text: [Double] = [], box: [Double] = []
            for y in 0..<16 {
                for x in 0..<label.size.width {
                    let sample = Double(frame[.y, origin.x + x, origin.y + y])
                    if opacity(x, y) >= 250 {
                        text.append(sample)
                    } else if (-2...2).allSatisfy({ dy in (-2...2).allSatisfy { dx in opacity(x + dx, y + dy) == UInt8(NameLabels.boxOpacity) } }) {
                        box.append(sample)
                    }
                }
            }
            let textLevel = text.reduce(0, +) / Double(max(text.count, 1)), boxLevel = box.reduce(0, +) / Double(max(box.count, 1))
            #expect(text.count > 50 && box.count > 50 && textLevel > 170 && boxLevel < 110,
                    "label: \(text.count) text samples at \(textLevel), \(box.count) box samples at \(boxLevel)")
        }
    }
}
