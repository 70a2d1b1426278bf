import MediaTypes

/// One participant as every layout sees it.
public struct RosterEntry: Sendable, Hashable {
    public var id: ParticipantID
    /// When the participant joined, on the recording's axis; layouts order tiles by it.
    public var joinedAt: MediaTime
    public var videoOn: Bool
    /// Size of the participant's video source, for its aspect ratio; nil when not known yet.
    public var sourceSize: PixelSize?
    /// The active speaker, whom the speaker layouts show large.
    public var isSpeaker: Bool

    public init(id: ParticipantID, joinedAt: MediaTime, videoOn: Bool = true, sourceSize: PixelSize? = nil, isSpeaker: Bool = false) {
        self.id = id
        self.joinedAt = joinedAt
        self.videoOn = videoOn
        self.sourceSize = sourceSize
        self.isSpeaker = isSpeaker
    }

    /// True when the tile shows the participant's picture rather than a placeholder.
    var showsPicture: Bool {
        guard videoOn, let sourceSize else { return false }
        return sourceSize.width > 0 && sourceSize.height > 0
    }
}

/// A colour as I420 samples (limited range, as encoders expect).
public struct YUVColor: Sendable, Hashable {
    public var y: UInt8
    public var u: UInt8
    public var v: UInt8

    public init(y: UInt8, u: UInt8, v: UInt8) {
        self.y = y
        self.u = u
        self.v = v
    }

    /// An sRGB colour converted with the BT.601 limited-range matrix, rounded to nearest.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        let r = Int(red), g = Int(green), b = Int(blue)
        // Coefficients scaled by 256: Y = 16 + (66R + 129G + 25B) / 256, and so on.
        y = UInt8(clamping: 16 + ((66 * r + 129 * g + 25 * b + 128) >> 8))
        u = UInt8(clamping: 128 + ((-38 * r - 74 * g + 112 * b + 128) >> 8))
        v = UInt8(clamping: 128 + ((112 * r - 94 * g - 18 * b + 128) >> 8))
    }

    public static let black = YUVColor(y: 16, u: 128, v: 128)
}

/// How a picture whose aspect ratio differs from its cell's is fitted.
public enum TileFit: Sendable, Hashable {
    /// The whole picture, centred, with background bars on two sides.
    case letterbox
    /// The cell filled, the picture's centre kept, its overflowing edges cropped.
    case cropToFill
}

public struct LayoutOptions: Sendable, Hashable {
    /// Space between tiles and around the grid's edge, in pixels; rounded down to even.
    public var gap: Int
    public var background: YUVColor
    public var fit: TileFit

    public init(gap: Int = 0, background: YUVColor = .black, fit: TileFit = .letterbox) {
        precondition(gap >= 0, "LayoutOptions.gap must not be negative, got \(gap)")
        self.gap = gap.roundedDownToEven
        self.background = background
        self.fit = fit
    }
}

/// Where one participant appears on the canvas.
public struct Tile: Sendable, Hashable {
    public var participant: ParticipantID
    /// The grid cell given to the participant.
    public var cell: PixelRect
    /// The part of the canvas the picture (or placeholder) covers: inside `cell`, smaller than
    /// it when letterboxed.
    public var picture: PixelRect
    /// The part of the source frame scaled into `picture` (the whole frame unless cropped
    /// to fill); nil when the tile shows a placeholder.
    public var sourceCrop: PixelRect?

    public init(participant: ParticipantID, cell: PixelRect, picture: PixelRect, sourceCrop: PixelRect?) {
        self.participant = participant
        self.cell = cell
        self.picture = picture
        self.sourceCrop = sourceCrop
    }
}

/// A layout: roster, canvas size and options in, tiles out. Every layout (grid, speaker,
/// presentation) is a pure function of this shape, so the compositor can take any of them.
public typealias Layout = @Sendable (_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile]
