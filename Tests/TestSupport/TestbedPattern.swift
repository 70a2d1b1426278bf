import MediaTypes

/// Reads back the picture that `scripts/testbed/participant.py` draws (its docstring is the
/// specification): the participant index from the top strip, the frame counter from the
/// bottom strip, the background colour, and whether the frame is a flash.
public struct TestbedPattern {
    public static let palette: [(y: Double, u: Double, v: Double)] = [
        (81, 90, 240), (145, 54, 34), (41, 240, 110), (210, 16, 146),
        (170, 166, 16), (106, 202, 222), (146, 53, 193), (74, 221, 166),
    ]

    public let frame: VideoFrame
    public let cell: Int
    /// Where the participant's picture lies in `frame` (all of it, or a composite's tile).
    public let originX: Int, originY: Int, width: Int, height: Int

    public init(frame: VideoFrame, x: Int = 0, y: Int = 0, width: Int? = nil, height: Int? = nil) {
        self.frame = frame
        originX = x
        originY = y
        self.width = width ?? frame.width
        self.height = height ?? frame.height
        cell = max(2, (self.width / 16) & ~1)
    }

    /// Bits of a strip of `cell`-wide blocks starting at `row`: bright block = 1.
    func bits(row: Int, count: Int) -> Int {
        var value = 0
        for bit in 0..<count {
            let luma = PictureMetrics.mean(frame, .y, x: originX + bit * cell + cell / 4, y: originY + row + cell / 4, width: max(1, cell / 2), height: max(1, cell / 2))
            if luma > 128 { value |= 1 << bit }
        }
        return value
    }

    public var frameCounter: Int { bits(row: height - cell, count: 16) }
    public var participantIndex: Int { bits(row: 0, count: 8) }

    /// Mean (Y, U, V) of a background area (between the index strip and the moving square).
    public var background: (y: Double, u: Double, v: Double) {
        let top = originY + cell * 2, area = (x: originX + width / 4, w: max(2, width / 2), h: max(2, cell))
        return (PictureMetrics.mean(frame, .y, x: area.x, y: top, width: area.w, height: area.h),
                PictureMetrics.mean(frame, .u, x: area.x / 2, y: top / 2, width: area.w / 2, height: area.h / 2),
                PictureMetrics.mean(frame, .v, x: area.x / 2, y: top / 2, width: area.w / 2, height: area.h / 2))
    }

    public var isFlash: Bool { background.y > 200 && abs(background.u - 128) < 10 }

    /// Whether the background has the colour its index strip says (within 25 per component):
    /// a participant's picture rather than a placeholder or something else.
    public var matchesItsPalette: Bool {
        let colour = background, expected = TestbedPattern.palette[participantIndex % TestbedPattern.palette.count]
        return abs(colour.y - expected.y) < 25 && abs(colour.u - expected.u) < 25 && abs(colour.v - expected.v) < 25
    }

    /// The palette entry nearest to the background, i.e. which participant this looks like.
    public var nearestPaletteIndex: Int {
        let colour = background
        return TestbedPattern.palette.indices.min { a, b in
            distance(TestbedPattern.palette[a], colour) < distance(TestbedPattern.palette[b], colour)
        }!
    }

    private func distance(_ a: (y: Double, u: Double, v: Double), _ b: (y: Double, u: Double, v: Double)) -> Double {
        (a.y - b.y) * (a.y - b.y) + (a.u - b.u) * (a.u - b.u) + (a.v - b.v) * (a.v - b.v)
    }
}
