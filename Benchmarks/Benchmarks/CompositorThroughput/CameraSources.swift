import Compositor
import MediaTypes
import SyntheticMedia

/// The decoded camera frames every contender scales: one second (30 distinct frames) of
/// 640x360 camera-like video per participant, rendered once per process so only
/// compositing is measured.
enum CameraSources {
    static let size = PixelSize(width: 640, height: 360)
    static let framesPerParticipant = 30

    /// `frames[participant][index]`, for as many participants as the largest grid shows.
    static let frames: [[VideoFrame]] = (0..<Layouts.maxGridTiles).map { participant in
        (0..<framesPerParticipant).map { index in
            let frame = VideoFrame(width: size.width, height: size.height)
            SyntheticPicture(participant: participant).render(frameIndex: index, fps: 30, into: frame)
            return frame
        }
    }
}

/// Which source frame each participant shows at an output tick of a 30 fps canvas.
enum SourceSchedule {
    /// Every source delivers a new frame every tick: the compositor must redraw every tile.
    case everyTick
    /// 15 fps sources: every other tick shows the same frames as the one before.
    case everyOtherTick
    /// A speaker who moves while everyone else sits still: only the first participant's
    /// frame changes.
    case onlyFirstParticipant

    /// Ticks after which the schedule repeats.
    static let period = 2 * CameraSources.framesPerParticipant

    func frameIndex(participant: Int, tick: Int) -> Int {
        switch self {
        case .everyTick: tick % CameraSources.framesPerParticipant
        case .everyOtherTick: (tick / 2) % CameraSources.framesPerParticipant
        case .onlyFirstParticipant: participant == 0 ? tick % CameraSources.framesPerParticipant : 0
        }
    }
}
