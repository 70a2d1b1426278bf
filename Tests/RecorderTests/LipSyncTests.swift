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
                         PixelSize(width: 640, height: 360), LayoutOptions()).map { Tile(x: $0.picture.x, y: $0.picture.y, width: $0.picture.width, height: $0.picture.height) }
        }
        // Each participant beeps at its own frequency (-6 dBFS upmixed at -3 dB).
        let sync = CompositeTiles.lipSync(CompositeTiles.read(media.videoFrames, layouts: layouts), audio: media, participants: [0, 1, 2],
                                          beepAmplitude: 0.35)
        var measured: [Int: [Double]] = [:]
        for (index, (offsets, flashes)) in sync {
            // Participant 1 sends no beep with its first flash (its audio starts later).
            measured[index] = offsets.compactMap { $0 }
            #expect(offsets.compactMap { $0 }.count >= (index == 1 ? flashes.count - 1 : flashes.count), "participant \(index): flashes \(flashes)")
        }
        #expect(Set(measured.keys) == [0, 1, 2])
        for (index, offsets) in measured {
            #expect(offsets.count >= 3, "participant \(index)")
            for offset in offsets { #expect(abs(offset) <= 0.020, "participant \(index): beep - flash = \(Int(offset * 1000)) ms") }
        }
        print("lip sync (beep - flash, ms):", measured.sorted { $0.key < $1.key }.map { "p\($0.key) \($0.value.map { Int(($0 * 1000).rounded()) })" }.joined(separator: ", "))
    }
}
