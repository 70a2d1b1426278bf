import Testing
@testable import Compositor

@Suite struct LayoutInputTests {
    @Test func rgbConvertsWithBT601LimitedRange() {
        #expect(YUVColor(red: 0, green: 0, blue: 0) == YUVColor(y: 16, u: 128, v: 128))
        #expect(YUVColor(red: 255, green: 255, blue: 255) == YUVColor(y: 235, u: 128, v: 128))
        #expect(YUVColor(red: 255, green: 0, blue: 0) == YUVColor(y: 82, u: 90, v: 240))
        // The job file's default background, #101014.
        #expect(YUVColor(red: 0x10, green: 0x10, blue: 0x14) == YUVColor(y: 30, u: 130, v: 128))
    }

    @Test func halvedRectangleCoversOddEdges() {
        #expect(PixelRect(x: 4, y: 2, width: 10, height: 6).halved == PixelRect(x: 2, y: 1, width: 5, height: 3))
        #expect(PixelRect(x: 3, y: 5, width: 7, height: 9).halved == PixelRect(x: 1, y: 2, width: 4, height: 5))
        #expect(PixelRect(x: 0, y: 0, width: 641, height: 361).halved == PixelRect(x: 0, y: 0, width: 321, height: 181))
    }

    @Test func gapIsRoundedDownToEven() {
        #expect(LayoutOptions(gap: 7).gap == 6)
        #expect(LayoutOptions(gap: 1).gap == 0)
    }
}
