import Compositor
import MediaTypes

/// One benchmark case: `participants` camera sources on a grid in one canvas, and the tile
/// rectangles every contender draws (the compositor's own grid layout, so all of them
/// scale the same source rectangle into the same canvas rectangle).
struct GridScene: CustomStringConvertible {
    let participants: Int
    let canvasSize: PixelSize
    let options: LayoutOptions
    let roster: [RosterEntry]
    let tiles: [Tile]
    /// For each tile, its participant's index in `roster` and in `CameraSources.frames`.
    let participantOfTile: [Int]

    init(participants: Int, canvasSize: PixelSize, gap: Int = 0) {
        self.participants = participants
        self.canvasSize = canvasSize
        options = LayoutOptions(gap: gap)
        // Two-digit ids so join-order ties sort by index.
        roster = (0..<participants).map { index in
            RosterEntry(id: ParticipantID(index < 10 ? "p0\(index)" : "p\(index)"), joinedAt: .zero,
                        sourceSize: CameraSources.size)
        }
        tiles = Layouts.grid(roster, canvasSize, options)
        let ids = roster.map(\.id)
        participantOfTile = tiles.map { tile in ids.firstIndex(of: tile.participant) ?? 0 }
    }

    var description: String {
        let side = Int(Double(participants).squareRoot())
        let grid = side * side == participants ? "\(side)x\(side)" : "\(participants) tiles"
        return "\(grid) into \(canvasSize)" + (options.gap > 0 ? ", \(options.gap) px gaps" : "")
    }

    /// The compositor's inputs for every tick of one schedule period, built ahead so a tick
    /// allocates nothing on the caller's side either.
    func compositorInputs(_ schedule: SourceSchedule) -> [[CompositorInput]] {
        (0..<SourceSchedule.period).map { tick in
            roster.indices.map { participant in
                CompositorInput(entry: roster[participant],
                                frame: sourceFrame(participant: participant, tick: tick, schedule))
            }
        }
    }

    func sourceFrame(participant: Int, tick: Int, _ schedule: SourceSchedule) -> VideoFrame {
        CameraSources.frames[participant][schedule.frameIndex(participant: participant, tick: tick)]
    }

    /// Runs `draw` for one tick of a full redraw: every tile with its source rectangle and
    /// its participant's frame at `tick`.
    func forEachTile(tick: Int, _ draw: (_ source: VideoFrame, _ crop: PixelRect, _ target: PixelRect) -> Void) {
        for (index, tile) in tiles.enumerated() {
            guard let crop = tile.sourceCrop else { continue }
            draw(sourceFrame(participant: participantOfTile[index], tick: tick, .everyTick), crop, tile.picture)
        }
    }
}
