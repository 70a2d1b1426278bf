import Compositor
import Foundation
import MediaEncode
import MediaTypes
import TestSupport
import Testing
@testable import Recorder

/// Each participant of the lip-sync fixture flashes white and beeps at the same instants of its
/// own clock. In the composite, every flash must start within 20 ms of its beep: for a plain
/// participant, for one whose audio starts 1.3 s after its video, and for a late joiner.
@Suite struct LipSyncTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lipsync").path

    @Test func everyFlashStartsWithItsBeep() throws {
        // 60 fps output: a flash is seen at most one output frame (16.7 ms) after it is due.
        let folder = NSTemporaryDirectory() + "tessera-lipsync-\(UUID().uuidString.prefix(8))"
        let output = RecordingOutput(path: "\(folder)/lipsync.mp4", video: VideoEncoderSettings(width: 640, height: 360, fps: 60))
        let summary = try Replay(sources: try DumpSource.open([Self.fixture]), payloadTypes: PayloadTypeMap(),
                                 settings: CompositeSettings(output: output)).run()
        #expect(summary.participants == 3)
        let media = try MediaFileReader.decode(output.path)
        // Where each participant's tile is in each frame: the layout changes when the late
        // joiner arrives, so find the tiles per frame and read who is in each from its index strip.
        let layouts = (1...3).map { count in
            Layouts.grid((0..<count).map { RosterEntry(id: ParticipantID("\($0)"), joinedAt: .zero, sourceSize: PixelSize(width: 320, height: 180)) },
                         PixelSize(width: 640, height: 360), LayoutOptions()).map(\.picture)
        }
        var samples: [Int: [(time: Double, bright: Bool)]] = [:]
        var owners: [PixelRect: Int] = [:]
        for frame in media.videoFrames {
            let rects = layouts.last { rects in
                rects.allSatisfy { PictureMetrics.mean(frame, .y, x: $0.x + $0.width / 4, y: $0.y + $0.height / 2, width: 8, height: 8) > 30 }
            } ?? []
            for rect in rects {
                let bright = SyncMeasurement.isFlash(frame, x: rect.x, y: rect.y, width: rect.width, height: rect.height)
                // A flash whitens the index strip too: the tile keeps the owner read before it.
                if !bright { owners[rect] = TestbedPattern(frame: frame, x: rect.x, y: rect.y, width: rect.width, height: rect.height).participantIndex }
                guard let owner = owners[rect] else { continue }
                samples[owner, default: []].append((frame.timestamp.seconds, bright))
            }
        }
        var measured: [Int: [Double]] = [:]
        for (index, series) in samples where (0...2).contains(index) {
            let flashes = SyncMeasurement.flashOnsets(series)
            // Each participant beeps at its own frequency (2000 + 300 x index Hz, -6 dBFS upmixed at -3 dB).
            let beeps = SyncMeasurement.beepOnsets(media.audioSamples, channels: media.audioChannels, frequency: Double(2000 + 300 * index),
                                                   amplitude: 0.35, startTime: media.audioStartTime ?? 0)
            let offsets = SyncMeasurement.offsets(flashes: flashes, beeps: beeps)
            // Participant 1 sends no beep with its first flash (its audio starts later).
            measured[index] = offsets.compactMap { $0 }
            #expect(offsets.compactMap { $0 }.count >= (index == 1 ? flashes.count - 1 : flashes.count), "participant \(index): flashes \(flashes), beeps \(beeps)")
        }
        #expect(Set(measured.keys) == [0, 1, 2])
        for (index, offsets) in measured {
            #expect(offsets.count >= 3, "participant \(index)")
            for offset in offsets { #expect(abs(offset) <= 0.020, "participant \(index): beep - flash = \(Int(offset * 1000)) ms") }
        }
        print("lip sync (beep - flash, ms):", measured.sorted { $0.key < $1.key }.map { "p\($0.key) \($0.value.map { Int(($0 * 1000).rounded()) })" }.joined(separator: ", "))
    }
}
