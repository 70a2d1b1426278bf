import MediaTypes
import Testing
@testable import Compositor

@Suite struct GridLayoutTests {
    static let landscape = PixelSize(width: 1280, height: 720)
    static let portrait = PixelSize(width: 720, height: 1280)
    static let hd = PixelSize(width: 640, height: 360)

    /// `count` participants with 16:9 video, listed in reverse join order so the layout has to sort.
    static func roster(_ count: Int, source: PixelSize = hd) -> [RosterEntry] {
        (0..<count).reversed().map { index in
            RosterEntry(id: ParticipantID("p\(index)"), joinedAt: .milliseconds(Int64(index * 100)), sourceSize: source)
        }
    }

    static func rect(_ x: Int, _ y: Int, _ width: Int, _ height: Int) -> PixelRect {
        PixelRect(x: x, y: y, width: width, height: height)
    }

    static func grid(_ count: Int, on canvas: PixelSize = landscape, options: LayoutOptions = LayoutOptions(),
                     source: PixelSize = hd) -> [Tile] {
        Layouts.grid(roster(count, source: source), canvas, options)
    }

    @Test func noParticipantsNoTiles() {
        #expect(Self.grid(0).isEmpty)
    }

    @Test func oneFillsTheCanvas() {
        let tiles = Self.grid(1)
        #expect(tiles == [Tile(participant: ParticipantID("p0"), cell: Self.rect(0, 0, 1280, 720),
                               picture: Self.rect(0, 0, 1280, 720), sourceCrop: Self.rect(0, 0, 640, 360))])
    }

    @Test func twoSideBySideOnLandscape() {
        let tiles = Self.grid(2)
        #expect(tiles.map(\.participant.rawValue) == ["p0", "p1"])
        #expect(tiles.map(\.cell) == [Self.rect(0, 0, 640, 720), Self.rect(640, 0, 640, 720)])
        #expect(tiles.map(\.picture) == [Self.rect(0, 180, 640, 360), Self.rect(640, 180, 640, 360)])
    }

    @Test func fourInTwoByTwo() {
        let tiles = Self.grid(4)
        let cells = [Self.rect(0, 0, 640, 360), Self.rect(640, 0, 640, 360), Self.rect(0, 360, 640, 360), Self.rect(640, 360, 640, 360)]
        #expect(tiles.map(\.cell) == cells)
        #expect(tiles.map(\.picture) == cells)
        #expect(tiles.map(\.participant.rawValue) == ["p0", "p1", "p2", "p3"])
    }

    @Test func fiveUseTwoCentredRowsOfThreeByThree() {
        // Cells of 1280/3 -> 426 x 240; two rows in use, centred vertically; the last row centred.
        let tiles = Self.grid(5)
        #expect(tiles.map(\.cell) == [
            Self.rect(0, 120, 426, 240), Self.rect(426, 120, 426, 240), Self.rect(852, 120, 426, 240),
            Self.rect(214, 360, 426, 240), Self.rect(640, 360, 426, 240),
        ])
        #expect(tiles.map(\.picture) == tiles.map(\.cell))
    }

    @Test func nineFillThreeByThree() {
        let tiles = Self.grid(9)
        #expect(tiles.count == 9)
        #expect(tiles[0].cell == Self.rect(0, 0, 426, 240))
        #expect(tiles[4].cell == Self.rect(426, 240, 426, 240))
        #expect(tiles[8].cell == Self.rect(852, 480, 426, 240))
    }

    @Test func tenUseThreeRowsOfFourByFour() {
        let tiles = Self.grid(10)
        #expect(tiles.count == 10)
        #expect(tiles[0].cell == Self.rect(0, 90, 320, 180))
        #expect(tiles[7].cell == Self.rect(960, 270, 320, 180))
        #expect(tiles[8].cell == Self.rect(320, 450, 320, 180))
        #expect(tiles[9].cell == Self.rect(640, 450, 320, 180))
    }

    @Test func twentyFiveFillFiveByFive() {
        let tiles = Self.grid(25)
        #expect(tiles.count == 25)
        #expect(tiles[0].cell == Self.rect(0, 0, 256, 144))
        #expect(tiles[24].cell == Self.rect(1024, 576, 256, 144))
        #expect(tiles[24].picture == Self.rect(1024, 576, 256, 144))
    }

    @Test func twentySixShowTheFirstTwentyFiveJoiners() {
        let tiles = Self.grid(26)
        #expect(tiles.count == 25)
        #expect(!tiles.contains { $0.participant == ParticipantID("p25") })
        #expect(tiles[24].participant == ParticipantID("p24"))
    }

    @Test func portraitStacksTwoAndLetterboxesWidePictures() {
        let one = Self.grid(1, on: Self.portrait)
        // 720 * 9 / 16 = 405 -> 406 (even); centred: (1280 - 406) / 2 = 437 -> 436.
        #expect(one.map(\.picture) == [Self.rect(0, 436, 720, 406)])

        let two = Self.grid(2, on: Self.portrait)
        #expect(two.map(\.cell) == [Self.rect(0, 0, 720, 640), Self.rect(0, 640, 720, 640)])
        #expect(two.map(\.picture) == [Self.rect(0, 116, 720, 406), Self.rect(0, 756, 720, 406)])

        let four = Self.grid(4, on: Self.portrait)
        #expect(four.map(\.cell) == [Self.rect(0, 0, 360, 640), Self.rect(360, 0, 360, 640),
                                     Self.rect(0, 640, 360, 640), Self.rect(360, 640, 360, 640)])
        #expect(four[0].picture == Self.rect(0, 218, 360, 202))
    }

    @Test func portraitFiveAndTen() {
        let five = Self.grid(5, on: Self.portrait)
        #expect(five.map(\.cell) == [
            Self.rect(0, 214, 240, 426), Self.rect(240, 214, 240, 426), Self.rect(480, 214, 240, 426),
            Self.rect(120, 640, 240, 426), Self.rect(360, 640, 240, 426),
        ])
        let ten = Self.grid(10, on: Self.portrait)
        // 4x4 cells of 180 x 320; three rows in use: (1280 - 960) / 2 = 160.
        #expect(ten[0].cell == Self.rect(0, 160, 180, 320))
        #expect(ten[9].cell == Self.rect(360, 800, 180, 320))
        let twentyFive = Self.grid(25, on: Self.portrait)
        #expect(twentyFive[24].cell == Self.rect(576, 1024, 144, 256))
    }

    @Test func gapsSeparateAndFrameTheCells() {
        // (1280 - 3 * 8) / 2 = 628, (720 - 3 * 8) / 2 = 348.
        let tiles = Self.grid(4, options: LayoutOptions(gap: 8))
        #expect(tiles.map(\.cell) == [Self.rect(8, 8, 628, 348), Self.rect(644, 8, 628, 348),
                                      Self.rect(8, 364, 628, 348), Self.rect(644, 364, 628, 348)])
        // 348 * 16 / 9 = 618.7 -> 618; centred: (628 - 618) / 2 = 5 -> 4.
        #expect(tiles[0].picture == Self.rect(12, 8, 618, 348))
        // An odd gap rounds down to even.
        #expect(Self.grid(4, options: LayoutOptions(gap: 9)) == tiles)
    }

    @Test func gapTooLargeForTheCanvasIsDropped() {
        let tiles = Layouts.grid(Self.roster(25), PixelSize(width: 16, height: 16), LayoutOptions(gap: 8))
        // Without the gap: cells of 16 / 5 -> 2, the 10-pixel grid centred at (16 - 10) / 2 = 3 -> 2.
        #expect(tiles.first?.cell == Self.rect(2, 2, 2, 2))
        #expect(tiles.last?.cell == Self.rect(10, 10, 2, 2))
    }

    @Test func fourByThreeSourceIsLetterboxed() {
        let tiles = Self.grid(1, source: PixelSize(width: 640, height: 480))
        #expect(tiles[0].picture == Self.rect(160, 0, 960, 720))
        #expect(tiles[0].sourceCrop == Self.rect(0, 0, 640, 480))
    }

    @Test func cropToFillKeepsTheCentre() {
        let fourByThree = Self.grid(1, options: LayoutOptions(fit: .cropToFill), source: PixelSize(width: 640, height: 480))
        #expect(fourByThree[0].picture == Self.rect(0, 0, 1280, 720))
        #expect(fourByThree[0].sourceCrop == Self.rect(0, 60, 640, 360))

        // 16:9 into a 720x1280 cell: 360 * 720 / 1280 = 202.5 -> 202 wide, (640 - 202) / 2 = 219 -> 218.
        let portrait = Self.grid(1, on: Self.portrait, options: LayoutOptions(fit: .cropToFill))
        #expect(portrait[0].picture == Self.rect(0, 0, 720, 1280))
        #expect(portrait[0].sourceCrop == Self.rect(218, 0, 202, 360))
    }

    @Test func videoOffOrUnknownSizeGetsAPlaceholderCell() {
        var roster = Self.roster(2)
        roster[0].videoOn = false
        roster[1].sourceSize = nil
        let tiles = Layouts.grid(roster, Self.landscape, LayoutOptions())
        #expect(tiles.map(\.picture) == [Self.rect(0, 0, 640, 720), Self.rect(640, 0, 640, 720)])
        #expect(tiles.allSatisfy { $0.sourceCrop == nil })
    }

    @Test func equalJoinTimesOrderById() {
        let roster = ["c", "a", "b"].map { RosterEntry(id: ParticipantID($0), joinedAt: .zero, sourceSize: Self.hd) }
        #expect(Layouts.grid(roster, Self.landscape, LayoutOptions()).map(\.participant.rawValue) == ["a", "b", "c"])
    }

    @Test(arguments: [1, 2, 3, 5, 7, 10, 13, 17, 25])
    func everyRectangleIsEvenAndInsideTheCanvas(count: Int) {
        for canvas in [Self.landscape, Self.portrait, PixelSize(width: 1920, height: 1080), PixelSize(width: 854, height: 480)] {
            for fit in [TileFit.letterbox, .cropToFill] {
                for source in [Self.hd, PixelSize(width: 641, height: 479), PixelSize(width: 480, height: 640)] {
                    let tiles = Self.grid(count, on: canvas, options: LayoutOptions(gap: 6, fit: fit), source: source)
                    #expect(tiles.count == count)
                    for tile in tiles {
                        for rect in [tile.cell, tile.picture] {
                            #expect(rect.x % 2 == 0 && rect.y % 2 == 0 && rect.width % 2 == 0 && rect.height % 2 == 0)
                            #expect(rect.x >= 0 && rect.y >= 0 && rect.maxX <= canvas.width && rect.maxY <= canvas.height)
                        }
                        #expect(tile.picture.x >= tile.cell.x && tile.picture.maxX <= tile.cell.maxX)
                        #expect(tile.picture.y >= tile.cell.y && tile.picture.maxY <= tile.cell.maxY)
                        let crop = tile.sourceCrop ?? PixelRect(x: 0, y: 0, width: 0, height: 0)
                        #expect(crop.x >= 0 && crop.y >= 0 && crop.maxX <= source.width && crop.maxY <= source.height)
                    }
                    let cells = tiles.map(\.cell)
                    for (i, a) in cells.enumerated() {
                        for b in cells[(i + 1)...] {
                            #expect(a.maxX <= b.x || b.maxX <= a.x || a.maxY <= b.y || b.maxY <= a.y, "\(a) overlaps \(b)")
                        }
                    }
                }
            }
        }
    }
}
