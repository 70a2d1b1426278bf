import TestSupport
import MediaTypes
import Testing
@testable import Compositor

@Suite struct CanvasCompositorTests {
    static let background = YUVColor(y: 20, u: 130, v: 125)
    static let placeholder = YUVColor(y: 48, u: 128, v: 128)
    static let colours = [YUVColor(y: 81, u: 90, v: 240), YUVColor(y: 145, u: 54, v: 34), YUVColor(y: 41, u: 240, v: 110),
                          YUVColor(y: 210, u: 16, v: 146), YUVColor(y: 170, u: 166, v: 16)]

    static func frame(_ colour: YUVColor, width: Int = 640, height: Int = 360) -> VideoFrame {
        let frame = VideoFrame(width: width, height: height)
        frame.fill(y: colour.y, u: colour.u, v: colour.v)
        return frame
    }

    static func inputs(_ frames: [VideoFrame?]) -> [CompositorInput] {
        frames.enumerated().map { index, frame in
            CompositorInput(entry: RosterEntry(id: ParticipantID("p\(index)"), joinedAt: .seconds(Int64(index))), frame: frame)
        }
    }

    static func compositor() -> CanvasCompositor {
        CanvasCompositor(canvasSize: PixelSize(width: 1280, height: 720), options: LayoutOptions(background: background),
                         placeholder: placeholder)
    }

    static func colour(of canvas: VideoFrame, x: Int, y: Int) -> YUVColor {
        YUVColor(y: canvas[.y, x, y], u: canvas[.u, x / 2, y / 2], v: canvas[.v, x / 2, y / 2])
    }

    /// The colour at the four inner corners and the centre of `rect`.
    static func colours(of canvas: VideoFrame, in rect: PixelRect) -> [YUVColor] {
        [(rect.x, rect.y), (rect.maxX - 1, rect.y), (rect.x, rect.maxY - 1), (rect.maxX - 1, rect.maxY - 1),
         (rect.x + rect.width / 2, rect.y + rect.height / 2)].map { colour(of: canvas, x: $0.0, y: $0.1) }
    }

    @Test func eachTileShowsItsParticipantInItsRectangle() {
        let compositor = Self.compositor()
        let canvas = compositor.compose(Self.inputs(Self.colours.prefix(4).map { Self.frame($0) }), at: .milliseconds(40))
        #expect(canvas.timestamp == .milliseconds(40))
        let cells = [PixelRect(x: 0, y: 0, width: 640, height: 360), PixelRect(x: 640, y: 0, width: 640, height: 360),
                     PixelRect(x: 0, y: 360, width: 640, height: 360), PixelRect(x: 640, y: 360, width: 640, height: 360)]
        for (cell, colour) in zip(cells, Self.colours) {
            #expect(Self.colours(of: canvas, in: cell) == Array(repeating: colour, count: 5), "\(cell)")
        }
        #expect(compositor.statistics.tilesDrawn == 4)
    }

    @Test func scaledTileMatchesTheReferenceKernelPixelForPixel() {
        let textured = VideoFrame(width: 640, height: 360)
        var generator = SeededGenerator(seed: 42)
        for plane in VideoFrame.Plane.allCases {
            for y in 0..<textured.planeHeight(plane) {
                for x in 0..<textured.planeWidth(plane) { textured[plane, x, y] = UInt8.random(in: 0...255, using: &generator) }
            }
        }
        let compositor = Self.compositor()
        let frames = [Self.frame(Self.colours[0]), Self.frame(Self.colours[1]), Self.frame(Self.colours[2]), textured, Self.frame(Self.colours[4])]
        let canvas = compositor.compose(Self.inputs(frames), at: .zero)
        // Five tiles: 3x3 cells of 426x240; the fourth is the first of the centred second row.
        let target = PixelRect(x: 214, y: 360, width: 426, height: 240)
        #expect(compositor.currentTiles[3].picture == target)
        let expected = VideoFrame(width: 426, height: 240)
        for plane in VideoFrame.Plane.allCases {
            BilinearScaler.scaleReference(PlaneView(textured, plane), into: PlaneView(expected, plane))
            let region = plane == .y ? target : target.halved
            for y in 0..<region.height {
                for x in 0..<region.width {
                    if canvas[plane, region.x + x, region.y + y] != expected[plane, x, y] {
                        Issue.record("\(plane) (\(x), \(y)) differs from the reference")
                        return
                    }
                }
            }
        }
        // The neighbour to the left of the tile is background (outside every cell of the row).
        #expect(Self.colour(of: canvas, x: 212, y: 400) == Self.background)
    }

    @Test func letterboxBarsShowTheBackground() {
        let compositor = Self.compositor()
        let canvas = compositor.compose(Self.inputs([Self.frame(Self.colours[0], width: 640, height: 480)]), at: .zero)
        #expect(Self.colours(of: canvas, in: PixelRect(x: 160, y: 0, width: 960, height: 720)) == Array(repeating: Self.colours[0], count: 5))
        #expect(Self.colour(of: canvas, x: 158, y: 360) == Self.background)
        #expect(Self.colour(of: canvas, x: 1120, y: 0) == Self.background)
    }

    @Test func unchangedSourcesAreSkippedAndChangedOnesRedrawn() {
        let compositor = Self.compositor()
        var frames = Self.colours.prefix(4).map { Self.frame($0) }
        _ = compositor.compose(Self.inputs(frames), at: .zero)
        _ = compositor.compose(Self.inputs(frames), at: .milliseconds(33))
        #expect(compositor.statistics.tilesDrawn == 4)
        #expect(compositor.statistics.tilesSkipped == 4)

        frames[1] = Self.frame(Self.colours[4])
        let canvas = compositor.compose(Self.inputs(frames), at: .milliseconds(66))
        #expect(compositor.statistics.tilesDrawn == 5)
        #expect(compositor.statistics.tilesSkipped == 7)
        #expect(compositor.statistics.layoutChanges == 1)
        #expect(Self.colour(of: canvas, x: 960, y: 180) == Self.colours[4])
    }

    @Test func leaversAreaIsRepaintedWithTheBackground() {
        let compositor = Self.compositor()
        let three = Self.colours.prefix(3).map { Self.frame($0) }
        var canvas = compositor.compose(Self.inputs(three), at: .zero)
        // Three in 2x2: the third centred in the second row.
        #expect(Self.colours(of: canvas, in: PixelRect(x: 320, y: 360, width: 640, height: 360)) == Array(repeating: Self.colours[2], count: 5))
        let fillsBefore = compositor.statistics.backgroundFills

        canvas = compositor.compose(Self.inputs(Array(three.prefix(2))), at: .milliseconds(33))
        // Two side by side at y 180..<540: the rest of the leaver's area is background again.
        for (x, y) in [(320, 540), (640, 700), (959, 719)] {
            #expect(Self.colour(of: canvas, x: x, y: y) == Self.background, "(\(x), \(y))")
        }
        #expect(Self.colour(of: canvas, x: 320, y: 360) == Self.colours[0])
        #expect(Self.colour(of: canvas, x: 960, y: 539) == Self.colours[1])
        #expect(Self.colour(of: canvas, x: 960, y: 100) == Self.background)
        #expect(compositor.statistics.backgroundFills > fillsBefore)
    }

    @Test func lateJoinerRedrawsOnlyTilesThatMoved() {
        let compositor = Self.compositor()
        let frames = Self.colours.prefix(4).map { Self.frame($0) }
        _ = compositor.compose(Self.inputs(Array(frames.prefix(3))), at: .zero)
        let canvas = compositor.compose(Self.inputs(frames), at: .milliseconds(33))
        // p0 and p1 keep their cells; p2 moves from the centre of the second row to its left; p3 is new.
        #expect(compositor.statistics.tilesDrawn == 3 + 2)
        #expect(compositor.statistics.tilesSkipped == 2)
        #expect(Self.colour(of: canvas, x: 100, y: 500) == Self.colours[2])
        #expect(Self.colour(of: canvas, x: 1000, y: 500) == Self.colours[3])
    }

    @Test func missingFrameShowsAPlaceholderOnce() {
        let compositor = Self.compositor()
        let inputs = Self.inputs([Self.frame(Self.colours[0]), nil])
        var canvas = compositor.compose(inputs, at: .zero)
        #expect(Self.colours(of: canvas, in: PixelRect(x: 640, y: 0, width: 640, height: 720)) == Array(repeating: Self.placeholder, count: 5))
        canvas = compositor.compose(inputs, at: .milliseconds(33))
        #expect(compositor.statistics.tilesDrawn == 2)
        #expect(compositor.statistics.tilesSkipped == 2)

        // Video switched off while frames still arrive: the placeholder, not the frame.
        var videoOff = Self.inputs([Self.frame(Self.colours[0]), Self.frame(Self.colours[1])])
        videoOff[1].entry.videoOn = false
        canvas = compositor.compose(videoOff, at: .milliseconds(66))
        #expect(Self.colour(of: canvas, x: 960, y: 360) == Self.placeholder)
    }

    @Test func cropToFillShowsOnlyTheSourcesCentre() {
        // An odd-sized 4:3 source with other-coloured luma outside rows 60..<420: cropped to 16:9
        // (641 * 9 / 16 = 360.6 -> 360 rows, from (481 - 360) / 2 = 60) only the middle shows.
        let source = Self.frame(Self.colours[1], width: 641, height: 481)
        for y in 0..<481 where y < 60 || y >= 420 {
            for x in 0..<641 { source[.y, x, y] = 250 }
        }
        let compositor = CanvasCompositor(canvasSize: PixelSize(width: 1280, height: 720),
                                          options: LayoutOptions(background: Self.background, fit: .cropToFill))
        let canvas = compositor.compose(Self.inputs([source]), at: .zero)
        #expect(compositor.currentTiles[0].sourceCrop == PixelRect(x: 0, y: 60, width: 641, height: 360))
        #expect(Self.colours(of: canvas, in: PixelRect(x: 0, y: 0, width: 1280, height: 720)) == Array(repeating: Self.colours[1], count: 5))
    }

    /// A half-opaque white watermark in the bottom-right corner: blended once over what is
    /// under it at every tick, whether the tile under it was redrawn, skipped or changed.
    @Test func aWatermarkIsBlendedOnceOverWhateverIsUnderIt() throws {
        let rgba = (0..<(40 * 20 * 4)).map { index -> UInt8 in index % 4 == 3 ? 128 : 255 }
        let image = OverlayImage(rgba: rgba, width: 40, height: 20)
        let canvasSize = PixelSize(width: 1280, height: 720)
        let placed = try #require(PlacedOverlay(image, corner: .rightBottom, canvasSize: canvasSize))
        #expect(placed.rect == PixelRect(x: 1280 - 16 - 40, y: 720 - 16 - 20, width: 40, height: 20))
        let compositor = CanvasCompositor(canvasSize: canvasSize, options: LayoutOptions(background: Self.background),
                                          placeholder: Self.placeholder, overlays: [placed])
        let white = YUVColor(red: 255, green: 255, blue: 255)
        func expected(over colour: YUVColor) -> YUVColor {
            YUVColor(y: AlphaBlend.blend(Int(white.y), 128, over: Int(colour.y)), u: AlphaBlend.blend(Int(white.u), 128, over: Int(colour.u)),
                     v: AlphaBlend.blend(Int(white.v), 128, over: Int(colour.v)))
        }
        let first = Self.frame(Self.colours[0]), second = Self.frame(Self.colours[1])
        for (tick, frame) in [first, first, first, second].enumerated() {
            let canvas = compositor.compose(Self.inputs([frame]), at: MediaTime.milliseconds(Int64(40 * tick)))
            let colour = frame === first ? Self.colours[0] : Self.colours[1]
            #expect(Self.colours(of: canvas, in: placed.rect) == Array(repeating: expected(over: colour), count: 5), "tick \(tick)")
            // Next to it, the tile as it is.
            #expect(Self.colour(of: canvas, x: placed.rect.x - 2, y: placed.rect.y) == colour, "tick \(tick)")
        }
        #expect(compositor.statistics.tilesSkipped == 2)
    }

    /// An overlay from an RGBA picture: colours converted like the canvas's, opacity kept,
    /// scaled to the size asked for; one that does not fit the canvas has no place.
    @Test func anOverlayKeepsColourAndOpacityWhenScaled() throws {
        let red = (0..<(30 * 10 * 4)).map { index -> UInt8 in [255, 0, 0, 200][index % 4] }
        let image = OverlayImage(rgba: red, width: 30, height: 10, size: PixelSize(width: 60, height: 20))
        #expect(image.size == PixelSize(width: 60, height: 20))
        let canvas = VideoFrame(width: 64, height: 24)
        canvas.fill(y: 16, u: 128, v: 128)
        let placed = try #require(PlacedOverlay(image, corner: .leftTop, canvasSize: PixelSize(width: 64, height: 24)))
        #expect(placed.rect == PixelRect(x: 2, y: 2, width: 60, height: 20))
        image.draw(onto: canvas, in: placed.rect)
        let colour = YUVColor(red: 255, green: 0, blue: 0)
        let blended = YUVColor(y: AlphaBlend.blend(Int(colour.y), 200, over: 16), u: AlphaBlend.blend(Int(colour.u), 200, over: 128),
                               v: AlphaBlend.blend(Int(colour.v), 200, over: 128))
        #expect(Self.colours(of: canvas, in: placed.rect) == Array(repeating: blended, count: 5))
        #expect(Self.colour(of: canvas, x: 0, y: 0) == YUVColor(y: 16, u: 128, v: 128))
        #expect(PlacedOverlay(image, corner: .leftTop, canvasSize: PixelSize(width: 58, height: 24)) == nil)
    }

    /// A name label sits in the bottom-left corner of its participant's tile, blended once per
    /// tick, and moves with the tile when a late joiner changes the layout (where it was, the
    /// tile shows through again).
    @Test func aLabelFollowsItsTile() throws {
        let rgba = (0..<(40 * 16 * 4)).map { index -> UInt8 in index % 4 == 3 ? 128 : 255 }
        let label = OverlayImage(rgba: rgba, width: 40, height: 16)
        let compositor = Self.compositor()
        let white = YUVColor(red: 255, green: 255, blue: 255)
        func labelled(_ colour: YUVColor) -> YUVColor {
            YUVColor(y: AlphaBlend.blend(Int(white.y), 128, over: Int(colour.y)), u: AlphaBlend.blend(Int(white.u), 128, over: Int(colour.u)),
                     v: AlphaBlend.blend(Int(white.v), 128, over: Int(colour.v)))
        }
        let first = Self.frame(Self.colours[0]), second = Self.frame(Self.colours[1])
        var inputs = Self.inputs([first])
        inputs[0].label = label
        let alone = try #require(CanvasCompositor.labelRect(for: label, in: PixelRect(x: 0, y: 0, width: 1280, height: 720)))
        #expect(alone == PixelRect(x: 4, y: 700, width: 40, height: 16))
        for tick in 0..<2 {
            let canvas = compositor.compose(inputs, at: MediaTime.milliseconds(Int64(40 * tick)))
            #expect(Self.colours(of: canvas, in: alone) == Array(repeating: labelled(Self.colours[0]), count: 5), "tick \(tick)")
        }
        // Side by side now: the first tile is the left half, letterboxed to 640x360 at y 180.
        inputs = Self.inputs([first, second])
        inputs[0].label = label
        let canvas = compositor.compose(inputs, at: .milliseconds(80))
        let moved = try #require(CanvasCompositor.labelRect(for: label, in: PixelRect(x: 0, y: 180, width: 640, height: 360)))
        #expect(moved == PixelRect(x: 4, y: 520, width: 40, height: 16))
        #expect(Self.colours(of: canvas, in: moved) == Array(repeating: labelled(Self.colours[0]), count: 5))
        #expect(Self.colours(of: canvas, in: alone) == Array(repeating: Self.background, count: 5))
        // Too small a picture for the label: none.
        #expect(CanvasCompositor.labelRect(for: label, in: PixelRect(x: 0, y: 0, width: 640, height: 20)) == nil)
    }
}
