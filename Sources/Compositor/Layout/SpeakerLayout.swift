extension Layouts {
    /// Tiles in the strip under the speaker, at most; later joiners wait for a free tile.
    public static let maxStripTiles = 6

    /// The speaker (the roster entry marked `isSpeaker`, else the earliest joiner) large, the
    /// others in join order in a strip along the bottom: a fifth of the canvas high, cells of
    /// 16:9 centred side by side (narrower when more than fit). Alone, the speaker fills the
    /// canvas. `options.gap` separates the strip's cells and frames everything.
    @Sendable
    public static func speaker(_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile] {
        let ordered = roster.sorted(by: joinOrder)
        guard let speaker = ordered.first(where: \.isSpeaker) ?? ordered.first else { return [] }
        let others = ordered.filter { $0.id != speaker.id }.prefix(maxStripTiles)
        let gap = options.gap
        guard !others.isEmpty else { return singleSpeaker([speaker], canvas, options) }
        let stripHeight = (canvas.height / 5).roundedDownToEven
        let cellHeight = (stripHeight - gap).roundedDownToEven
        let mainHeight = (canvas.height - stripHeight - 2 * gap).roundedDownToEven
        guard cellHeight >= 2, mainHeight >= 2, canvas.width > 2 * gap + 2 else { return [] }
        var tiles = [fitted(speaker, into: PixelRect(x: gap, y: gap, width: (canvas.width - 2 * gap).roundedDownToEven, height: mainHeight),
                            fit: options.fit)]
        let room = canvas.width - (others.count + 1) * gap
        let cellWidth = min((cellHeight * 16 / 9).roundedDownToEven, (room / others.count).roundedDownToEven)
        guard cellWidth >= 2 else { return tiles }
        let rowWidth = others.count * cellWidth + (others.count - 1) * gap
        let left = ((canvas.width - rowWidth) / 2).roundedDownToEven, top = gap + mainHeight + gap
        for (index, entry) in others.enumerated() {
            let cell = PixelRect(x: left + index * (cellWidth + gap), y: top, width: cellWidth, height: cellHeight)
            tiles.append(fitted(entry, into: cell, fit: options.fit))
        }
        return tiles
    }

    /// The first screen share (in join order) large and everyone else in the strip, as in
    /// the speaker layout; without a screen share, the speaker layout.
    @Sendable
    public static func presentation(_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile] {
        guard let share = roster.sorted(by: joinOrder).first(where: \.id.isScreenShare) else { return speaker(roster, canvas, options) }
        let featured = roster.map { entry in
            var entry = entry
            entry.isSpeaker = entry.id == share.id
            return entry
        }
        return speaker(featured, canvas, options)
    }

    /// The grid, and the presentation layout while someone shares a screen.
    @Sendable
    public static func auto(_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile] {
        roster.contains { $0.id.isScreenShare } ? presentation(roster, canvas, options) : grid(roster, canvas, options)
    }

    /// Only the speaker (marked `isSpeaker`, else the earliest joiner), on the whole canvas
    /// inside `options.gap`.
    @Sendable
    public static func singleSpeaker(_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile] {
        let ordered = roster.sorted(by: joinOrder)
        guard let speaker = ordered.first(where: \.isSpeaker) ?? ordered.first else { return [] }
        let gap = canvas.width > 2 * options.gap + 2 && canvas.height > 2 * options.gap + 2 ? options.gap : 0
        let cell = PixelRect(x: gap, y: gap, width: (canvas.width - 2 * gap).roundedDownToEven, height: (canvas.height - 2 * gap).roundedDownToEven)
        return [fitted(speaker, into: cell, fit: options.fit)]
    }
}
