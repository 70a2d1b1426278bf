import MediaTypes

/// One participant's input to a compositor tick: who they are and the newest frame due.
public struct CompositorInput {
    /// The roster entry; its `sourceSize` is replaced by the frame's size.
    public var entry: RosterEntry
    /// Nil when no frame is due yet or video is off: the tile shows a placeholder.
    public var frame: VideoFrame?
    /// The participant's name label, drawn in the bottom-left corner of their tile.
    public var label: OverlayImage?

    public init(entry: RosterEntry, frame: VideoFrame?, label: OverlayImage? = nil) {
        self.entry = entry
        self.frame = frame
        self.label = label
    }
}

/// Counters that show how much work the compositor avoided.
public struct CompositorStatistics: Sendable, Hashable {
    /// Tiles scaled from their source or painted as placeholders.
    public var tilesDrawn = 0
    /// Tiles left as they were because neither their frame nor their rectangle changed.
    public var tilesSkipped = 0
    /// Rectangles repainted with the background (the whole canvas once, then vacated areas).
    public var backgroundFills = 0
    public var layoutChanges = 0

    public init() {}
}

/// Draws tiles into one canvas frame, redrawing only what changed since the last tick.
///
/// The canvas persists across ticks: the background is painted once, a tile is scaled again
/// only when its source frame (by identity: frames are immutable once handed over) or its
/// rectangle changes, and after a layout change only the areas tiles left are repainted with
/// the background. The caller consumes the returned canvas (encodes or copies it) before the
/// next `compose`, which draws into the same frame. Frames last drawn are retained until
/// replaced, so a pool needs one spare frame per tile. In steady state (same roster) a tick
/// allocates nothing. Not thread-safe: one compositing thread owns it.
///
/// Overlays (a watermark, the tiles' name labels) are blended over the tiles at every tick.
/// What they cover is kept and put back before the next tick draws, so the persistent canvas
/// never blends an overlay onto itself twice where nothing under it changed.
public final class CanvasCompositor {
    public let canvas: VideoFrame
    public let options: LayoutOptions
    /// Flat colour of a tile without a picture (video off, no frame yet).
    public let placeholder: YUVColor
    private let layout: Layout
    public private(set) var statistics = CompositorStatistics()

    /// What one tile shows and what is on the canvas for it now.
    private struct TileState {
        var tile: Tile
        /// Index of the tile's participant in the inputs the layout was made from.
        var inputIndex: Int
        var scaler = TileScaler()
        /// Where the tile was last painted, and from what; nil before the first paint.
        var paintedPicture: PixelRect?
        var paintedCrop: PixelRect?
        var paintedFrame: VideoFrame?
    }

    private var tiles: [TileState] = []
    /// The roster the current tiles were laid out for, and the one being built this tick.
    private var roster: [RosterEntry] = []
    private var nextRoster: [RosterEntry] = []
    private var hasBackground = false
    public let overlays: [PlacedOverlay]
    /// Where the overlays of the last tick were drawn, in order, and what was under each
    /// (the first `coveredCount` entries; patches are reused while their sizes stay).
    private var coveredRects: [PixelRect] = []
    private var patches: [VideoFrame] = []
    private var coveredCount = 0

    public init(canvasSize: PixelSize, options: LayoutOptions = LayoutOptions(),
                placeholder: YUVColor = YUVColor(y: 48, u: 128, v: 128), layout: @escaping Layout = Layouts.grid,
                overlays: [PlacedOverlay] = []) {
        precondition(canvasSize.width > 0 && canvasSize.height > 0 && canvasSize.width & 1 == 0 && canvasSize.height & 1 == 0,
                     "canvas size must be even and positive, got \(canvasSize)")
        canvas = VideoFrame(width: canvasSize.width, height: canvasSize.height)
        self.options = options
        self.placeholder = placeholder
        self.layout = layout
        for overlay in overlays {
            let rect = overlay.rect
            precondition(rect.x >= 0 && rect.y >= 0 && rect.maxX <= canvasSize.width && rect.maxY <= canvasSize.height,
                         "overlay at \(rect) lies outside the \(canvasSize) canvas")
        }
        self.overlays = overlays
    }

    /// A label's place in a tile's picture: the bottom-left corner, `labelMargin` from its
    /// edges, cut to the picture's width; nil when the picture is too small to hold it.
    static func labelRect(for label: OverlayImage, in picture: PixelRect) -> PixelRect? {
        let width = min(label.size.width, picture.width - 2 * labelMargin) & ~1
        guard width >= 2 * labelMargin, label.size.height + 2 * labelMargin <= picture.height else { return nil }
        return PixelRect(x: picture.x + labelMargin, y: picture.maxY - labelMargin - label.size.height, width: width, height: label.size.height)
    }

    public static let labelMargin = 4

    public var currentTiles: [Tile] { tiles.map(\.tile) }

    /// Draws one output tick and returns the canvas, stamped with `time`.
    public func compose(_ inputs: [CompositorInput], at time: MediaTime) -> VideoFrame {
        // Last kept, first restored: overlapping overlays give back what was under them.
        for index in (0..<coveredCount).reversed() { restore(patches[index], at: coveredRects[index]) }
        coveredCount = 0
        if !hasBackground {
            fillBackground(PixelRect(x: 0, y: 0, width: canvas.width, height: canvas.height))
            hasBackground = true
        }
        nextRoster.removeAll(keepingCapacity: true)
        for input in inputs {
            var entry = input.entry
            // The frame, not the roster's hint, decides the aspect ratio; no frame: placeholder.
            entry.sourceSize = input.frame.map { PixelSize(width: $0.width, height: $0.height) }
            nextRoster.append(entry)
        }
        if nextRoster != roster {
            swap(&roster, &nextRoster)
            relayout(inputs)
        }
        for index in tiles.indices {
            // Fields one by one: a copy of the whole state would share the scaler's buffers
            // and make the scaler copy them on its next write.
            let tile = tiles[index].tile
            let frame = tile.sourceCrop == nil ? nil : inputs[tiles[index].inputIndex].frame
            if tiles[index].paintedPicture == tile.picture && tiles[index].paintedCrop == tile.sourceCrop
                && tiles[index].paintedFrame === frame {
                statistics.tilesSkipped += 1
                continue
            }
            if let frame, let crop = tile.sourceCrop {
                tiles[index].scaler.scale(frame, crop: crop, into: canvas, at: tile.picture)
            } else {
                fill(tile.picture, with: placeholder)
            }
            tiles[index].paintedPicture = tile.picture
            tiles[index].paintedCrop = tile.sourceCrop
            tiles[index].paintedFrame = frame
            statistics.tilesDrawn += 1
        }
        for index in tiles.indices {
            // By field, as above: a copy of a tile's state would make its scaler copy its buffers.
            guard let label = inputs[tiles[index].inputIndex].label,
                  let rect = Self.labelRect(for: label, in: tiles[index].tile.picture) else { continue }
            cover(rect)
            label.draw(onto: canvas, in: rect)
        }
        for overlay in overlays {
            cover(overlay.rect)
            overlay.image.draw(onto: canvas, in: overlay.rect)
        }
        canvas.timestamp = time
        return canvas
    }

    /// Puts `patch` back on the canvas at `rect`.
    private func restore(_ patch: VideoFrame, at rect: PixelRect) {
        for plane in VideoFrame.Plane.allCases {
            PlaneCopy.copy(PlaneView(patch, plane), into: PlaneView(canvas, plane, under: rect))
        }
    }

    /// Keeps what the canvas shows at `rect` before an overlay is drawn there.
    private func cover(_ rect: PixelRect) {
        let index = coveredCount
        if index == patches.count {
            patches.append(VideoFrame(width: rect.width, height: rect.height))
            coveredRects.append(rect)
        } else if patches[index].width != rect.width || patches[index].height != rect.height {
            patches[index] = VideoFrame(width: rect.width, height: rect.height)
        }
        coveredRects[index] = rect
        coveredCount += 1
        for plane in VideoFrame.Plane.allCases {
            PlaneCopy.copy(PlaneView(canvas, plane, under: rect), into: PlaneView(patches[index], plane))
        }
    }

    /// New tiles for the new roster. A participant who keeps a tile keeps its scaler and
    /// painted state; every painted area no tile will paint again in the same place gets the
    /// background back.
    private func relayout(_ inputs: [CompositorInput]) {
        statistics.layoutChanges += 1
        let laidOut = layout(roster, PixelSize(width: canvas.width, height: canvas.height), options)
        var previous = tiles
        tiles = laidOut.map { tile in
            let inputIndex = inputs.firstIndex { $0.entry.id == tile.participant } ?? 0
            guard let kept = previous.firstIndex(where: { $0.tile.participant == tile.participant }) else {
                return TileState(tile: tile, inputIndex: inputIndex)
            }
            var state = previous.remove(at: kept)
            if let painted = state.paintedPicture, painted != tile.picture {
                fillBackground(painted)
                state.paintedPicture = nil
            }
            state.tile = tile
            state.inputIndex = inputIndex
            return state
        }
        for leaver in previous {
            if let painted = leaver.paintedPicture { fillBackground(painted) }
        }
    }

    private func fill(_ rect: PixelRect, with colour: YUVColor) {
        PlaneFill.fill(PlaneView(canvas, .y).cropped(to: rect), with: colour.y)
        PlaneFill.fill(PlaneView(canvas, .u).cropped(to: rect.halved), with: colour.u)
        PlaneFill.fill(PlaneView(canvas, .v).cropped(to: rect.halved), with: colour.v)
    }

    private func fillBackground(_ rect: PixelRect) {
        fill(rect, with: options.background)
        statistics.backgroundFills += 1
    }
}
