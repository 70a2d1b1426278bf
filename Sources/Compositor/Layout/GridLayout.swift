/// The layouts the compositor can draw, each a pure `Layout` function.
public enum Layouts {
    /// The most tiles a grid shows; later joiners wait for a free tile.
    public static let maxGridTiles = 25

    /// Participants in join order on an even grid: 1, 2 (side by side on a landscape canvas,
    /// stacked on a portrait one), 2x2, 3x3, 4x4, 5x5. Cells are sized for the full grid of
    /// the step; a grid with fewer rows in use is centred vertically, and a partial last
    /// row is centred horizontally. `options.gap` separates cells and frames the grid; a gap
    /// too large for the canvas is dropped.
    @Sendable
    public static func grid(_ roster: [RosterEntry], _ canvas: PixelSize, _ options: LayoutOptions) -> [Tile] {
        let shown = roster.sorted(by: joinOrder).prefix(maxGridTiles)
        guard !shown.isEmpty else { return [] }
        let (columns, rows) = gridShape(count: shown.count, canvas: canvas)

        var gap = options.gap
        var cellWidth = 0, cellHeight = 0
        for candidate in [gap, 0] {
            gap = candidate
            cellWidth = ((canvas.width - (columns + 1) * gap) / columns).roundedDownToEven
            cellHeight = ((canvas.height - (rows + 1) * gap) / rows).roundedDownToEven
            if cellWidth >= 2 && cellHeight >= 2 { break }
        }
        guard cellWidth >= 2 && cellHeight >= 2 else { return [] }

        let rowsInUse = (shown.count + columns - 1) / columns
        let blockHeight = rowsInUse * cellHeight + (rowsInUse - 1) * gap
        let top = ((canvas.height - blockHeight) / 2).roundedDownToEven

        var tiles: [Tile] = []
        tiles.reserveCapacity(shown.count)
        for (index, entry) in shown.enumerated() {
            let row = index / columns, column = index % columns
            let tilesInRow = min(columns, shown.count - row * columns)
            let rowWidth = tilesInRow * cellWidth + (tilesInRow - 1) * gap
            let left = ((canvas.width - rowWidth) / 2).roundedDownToEven
            let cell = PixelRect(
                x: left + column * (cellWidth + gap), y: top + row * (cellHeight + gap),
                width: cellWidth, height: cellHeight)
            tiles.append(fitted(entry, into: cell, fit: options.fit))
        }
        return tiles
    }

    /// Earlier joiners first; ties (a dump's participants that all started at once) by id.
    static func joinOrder(_ a: RosterEntry, _ b: RosterEntry) -> Bool {
        a.joinedAt != b.joinedAt ? a.joinedAt < b.joinedAt : a.id < b.id
    }

    static func gridShape(count: Int, canvas: PixelSize) -> (columns: Int, rows: Int) {
        switch count {
        case 1: return (1, 1)
        case 2: return canvas.isPortrait ? (1, 2) : (2, 1)
        case 3...4: return (2, 2)
        case 5...9: return (3, 3)
        case 10...16: return (4, 4)
        default: return (5, 5)
        }
    }

    /// The tile of one participant in a cell: the picture letterboxed inside the cell or the
    /// source cropped to the cell's aspect ratio, both centred.
    static func fitted(_ entry: RosterEntry, into cell: PixelRect, fit: TileFit) -> Tile {
        guard entry.showsPicture, let source = entry.sourceSize else {
            return Tile(participant: entry.id, cell: cell, picture: cell, sourceCrop: nil)
        }
        let sourceIsWider = source.width * cell.height > source.height * cell.width
        switch fit {
        case .letterbox:
            var picture = cell
            if sourceIsWider {
                picture.height = clampedEven(cell.width * source.height, source.width, limit: cell.height)
            } else {
                picture.width = clampedEven(cell.height * source.width, source.height, limit: cell.width)
            }
            picture.x += ((cell.width - picture.width) / 2).roundedDownToEven
            picture.y += ((cell.height - picture.height) / 2).roundedDownToEven
            return Tile(participant: entry.id, cell: cell, picture: picture, sourceCrop: PixelRect(size: source))
        case .cropToFill:
            var crop = PixelRect(size: source)
            if sourceIsWider {
                crop.width = clampedEven(source.height * cell.width, cell.height, limit: source.width)
                crop.x = ((source.width - crop.width) / 2).roundedDownToEven
            } else {
                crop.height = clampedEven(source.width * cell.height, cell.width, limit: source.height)
                crop.y = ((source.height - crop.height) / 2).roundedDownToEven
            }
            return Tile(participant: entry.id, cell: cell, picture: cell, sourceCrop: crop)
        }
    }

    /// `numerator / denominator` rounded to the nearest even number (ties up), at least 2 and
    /// at most `limit`.
    static func clampedEven(_ numerator: Int, _ denominator: Int, limit: Int) -> Int {
        let even = 2 * ((numerator + denominator) / (2 * denominator))
        return min(limit, max(2, even))
    }
}
