import Foundation
import MediaEncode
import MediaTypes
import TestSupport
import Testing
@testable import Compositor
@testable import Recorder

/// Name labels: FreeType text from Debian's DejaVu font on a translucent box, and the label
/// on its participant's tile in the recorded file.
@Suite struct NameLabelsTests {
    /// Luma and opacity of a label, row-major.
    static func samples(_ image: OverlayImage) -> (luma: [UInt8], opacity: [UInt8]) {
        var luma: [UInt8] = [], opacity: [UInt8] = []
        for y in 0..<image.size.height {
            for x in 0..<image.size.width {
                luma.append(image.colour[.y, x, y])
                opacity.append(image.opacity[.y, x, y])
            }
        }
        return (luma, opacity)
    }

    @Test func rendersWhiteTextOnATranslucentBox() throws {
        let labels = try NameLabels(height: 30)
        let short = try #require(labels.render("Ada", maxWidth: 600))
        let long = try #require(labels.render("Ada Lovelace", maxWidth: 600))
        #expect(short.size.height == 30 && long.size.height == 30)
        #expect(long.size.width > short.size.width + 60, "\(short.size) \(long.size)")
        let (luma, opacity) = Self.samples(long)
        // The box: the corners are text-free, at the box's opacity and black.
        #expect(opacity[0] == UInt8(NameLabels.boxOpacity) && luma[0] == 16)
        // The text: opaque white strokes, a good share of the label.
        let strokes = zip(luma, opacity).filter { $0.0 >= 230 && $0.1 >= 250 }.count
        #expect(strokes > luma.count / 20, "\(strokes) of \(luma.count) samples are text")
    }

    @Test func cutsLongNamesAndSkipsBlankOnesAndDrawsAnyCharacter() throws {
        let labels = try NameLabels(height: 16)
        let cut = try #require(labels.render(String(repeating: "Wide name ", count: 20), maxWidth: 101))
        #expect(cut.size.width == 100)
        #expect(labels.render("  \n", maxWidth: 300) == nil)
        // Characters the font has and ones it lacks (drawn as its missing-glyph box).
        #expect(labels.render("Zoë 李 %{pts} \\:'", maxWidth: 300) != nil)
        #expect(throws: NameLabelError.self) { try NameLabels(height: 16, fontPath: "/nonexistent/font.ttf") }
        #expect {
            try NameLabels(height: 16, fontPath: "/nonexistent/font.ttf")
        } throws: { "\($0)" == "label font /nonexistent/font.ttf: no such file" }
    }

    /// A participant the meeting names gets the label in the bottom-left corner of their tile
    /// in the decoded file; one it does not name gets none.
    @Test func theRecordingShowsTheNameOnTheTile() throws {
        let folder = NSTemporaryDirectory() + "tessera-labels-\(UUID().uuidString.prefix(8))"
        let path = "\(folder)/labels.mp4"
        let recording = try CompositeRecording(settings: CompositeSettings(
            output: RecordingOutput(path: path, video: VideoEncoderSettings(width: 640, height: 360, fps: 10)),
            labels: try NameLabels(height: NameLabels.height(forCanvasHeight: 360))))
        let (named, unnamed) = (ParticipantID("a"), ParticipantID("b"))
        recording.announce(named, at: .zero, displayName: "Grace Hopper")
        recording.announce(unnamed, at: .zero)
        for tenth in 0..<20 {
            for participant in [named, unnamed] {
                let frame = VideoFrame(width: 320, height: 180)
                frame.fill(y: 120, u: 128, v: 128)
                recording.add(video: frame, from: participant, at: .milliseconds(Int64(tenth) * 100))
            }
        }
        try recording.render(through: .seconds(2))
        _ = try recording.finish()
        let media = try MediaFileReader.decode(path)
        let last = try #require(media.videoFrames.last)
        // Two tiles side by side, 320x180 each, centred: y 90..<270. The label (16 px, the
        // canvas is 360 high) sits 4 px above the tile's bottom, from 4 px in.
        let labelRows = (270 - 4 - 16)..<(270 - 4)
        func region(_ x: Int) -> [UInt8] { labelRows.flatMap { y in (x..<(x + 60)).map { last[.y, $0, y] } } }
        let namedRegion = region(4), unnamedRegion = region(320 + 4)
        #expect(unnamedRegion.allSatisfy { abs(Int($0) - 120) <= 3 }, "no label on the unnamed tile")
        #expect(namedRegion.filter { $0 < 80 }.count > namedRegion.count / 4, "the box darkens the tile")
        #expect(namedRegion.filter { $0 > 200 }.count > namedRegion.count / 20, "the text is bright")
        // Above the label, the tile as it is.
        #expect((4..<64).allSatisfy { abs(Int(last[.y, $0, labelRows.lowerBound - 4]) - 120) <= 3 })
    }
}
