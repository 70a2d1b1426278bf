import Compositor
import MediaEncode
import MediaTypes

/// How the tiles are arranged.
public enum LayoutKind: Sendable, Hashable {
    /// Everyone alike (`Layouts.grid`).
    case grid
    /// The active speaker large, the others in a strip (`Layouts.speaker`).
    case speaker
    /// Only the active speaker (`Layouts.singleSpeaker`).
    case singleSpeaker
    /// A screen share large, the others in a strip (`Layouts.presentation`).
    case presentation
    /// The grid, and the presentation layout while someone shares a screen (`Layouts.auto`).
    case auto

    var layout: Layout {
        switch self {
        case .grid: Layouts.grid
        case .speaker: Layouts.speaker
        case .singleSpeaker: Layouts.singleSpeaker
        case .presentation: Layouts.presentation
        case .auto: Layouts.auto
        }
    }

    /// Whether the layout needs to know who is speaking.
    var followsTheSpeaker: Bool { self == .speaker || self == .singleSpeaker || self == .presentation }
}

/// What a composite recording looks and sounds like.
public struct CompositeSettings: Sendable {
    public var output: RecordingOutput
    public var layoutKind: LayoutKind
    public var layout: LayoutOptions
    /// A participant whose media stopped leaves the picture this long after their last media.
    public var leaveGrace: MediaTime
    /// A participant whose newest picture is older than this shows the placeholder, not a frozen frame.
    public var videoTimeout: MediaTime
    /// Drawn over the tiles in every frame (a watermark).
    public var overlays: [PlacedOverlay]
    /// Renders the name labels on the tiles of participants whose names the meeting gives;
    /// nil: no labels.
    public var labels: NameLabels?

    public init(output: RecordingOutput, layoutKind: LayoutKind = .grid, layout: LayoutOptions = LayoutOptions(),
                leaveGrace: MediaTime = .seconds(2), videoTimeout: MediaTime = .milliseconds(1500), overlays: [PlacedOverlay] = [],
                labels: NameLabels? = nil) {
        self.output = output
        self.layoutKind = layoutKind
        self.layout = layout
        self.leaveGrace = leaveGrace
        self.videoTimeout = videoTimeout
        self.overlays = overlays
        self.labels = labels
    }
}

/// Draws and mixes every participant's media on the recording's time axis and encodes it, one
/// output tick at a time. Replays and live recordings both drive it: they hand in decoded media
/// timed on the axis (0 = recording start), then ask for the output up to a time.
///
/// At tick t each participant's tile shows their newest picture due by t (a picture due less than
/// half a tick later counts as due: the nearest tick shows it, so a picture is at most half a
/// tick early or late); audio is mixed 20 ms at a time on the same axis, so pictures and sound
/// stay in sync.
public final class CompositeRecording {
    public struct Statistics: Sendable, Equatable {
        public var ticks = 0
        public var videoFramesReceived = 0
        public var videoFramesShown = 0
        /// Frames replaced by a newer one before any tick showed them (source faster than output).
        public var videoFramesSuperseded = 0
        /// Media timed before the recording started.
        public var mediaBeforeStart = 0
    }

    public let settings: CompositeSettings
    public private(set) var statistics = Statistics()
    /// Axis time of the newest media received from anyone.
    public private(set) var lastMediaTime: MediaTime?
    /// CPU time spent drawing, mixing and writing.
    public private(set) var timing = PipelineTiming()

    private struct Participant {
        var joinedAt: MediaTime
        var lastMediaAt: MediaTime
        /// Decoded pictures not yet due, oldest first.
        var pending: [VideoFrame] = []
        var current: VideoFrame?
        /// Whether a tick has drawn `current` yet.
        var currentShown = false
        /// The meeting said they are in it: their tile stays (a placeholder without video) until
        /// it says they left, whatever their media does.
        var announced = false
        /// When the meeting said they left (their media may stop a little later).
        var leftAt: MediaTime?
        /// Their name on their tile.
        var label: OverlayImage?

        func isGone(at time: MediaTime, leaveGrace: MediaTime) -> Bool {
            if let leftAt, leftAt <= time { return true }
            return !announced && lastMediaAt + leaveGrace < time
        }
    }

    private var participants: [ParticipantID: Participant] = [:]
    private var joinOrder: [ParticipantID] = []
    private let compositor: CanvasCompositor
    /// Who is speaking, for the layouts that follow the speaker (nil for the others).
    private var speakers: ActiveSpeaker?
    private let mixer: AudioMixer
    private let writer: RecordingWriter
    private var nextTick: Int64 = 0
    private var inputs: [CompositorInput] = []

    public init(settings: CompositeSettings) throws(MediaEncodeError) {
        self.settings = settings
        writer = try RecordingWriter(output: settings.output)
        compositor = CanvasCompositor(canvasSize: PixelSize(width: settings.output.video.width, height: settings.output.video.height),
                                      options: settings.layout, layout: settings.layoutKind.layout, overlays: settings.overlays)
        mixer = AudioMixer(channels: settings.output.audioChannels)
        speakers = settings.layoutKind.followsTheSpeaker ? ActiveSpeaker() : nil
    }

    public var fps: Int64 { Int64(settings.output.video.fps) }

    /// A decoded picture of `participant`, due at `time` on the recording's axis.
    public func add(video frame: VideoFrame, from participant: ParticipantID, at time: MediaTime) {
        guard note(participant, at: time) else { return }
        statistics.videoFramesReceived += 1
        frame.timestamp = time
        var state = participants[participant]!
        let position = state.pending.lastIndex { $0.timestamp <= time }.map { $0 + 1 } ?? 0
        state.pending.insert(frame, at: position)
        participants[participant] = state
    }

    /// Decoded audio of `participant`, starting at `time` on the recording's axis.
    public func add(audio block: AudioBlock, from participant: ParticipantID, at time: MediaTime) {
        guard note(participant, at: time) else { return }
        var timed = block
        timed.timestamp = time
        mixer.push(timed, from: participant)
        speakers?.hear(timed, from: participant, at: time)
    }

    /// `participant` is in the meeting from `time` (a roster event, live): they get a tile even
    /// before (or without) any media of theirs, e.g. when their codec cannot be received.
    public func announce(_ participant: ParticipantID, at time: MediaTime, displayName: String? = nil) {
        let time = max(time, .zero)
        if participants[participant] == nil {
            participants[participant] = Participant(joinedAt: time, lastMediaAt: time)
            joinOrder.append(participant)
        }
        participants[participant]?.announced = true
        participants[participant]?.leftAt = nil
        if let displayName, let labels = settings.labels {
            participants[participant]?.label = labels.render(displayName, maxWidth: settings.output.video.width - 2 * CanvasCompositor.labelMargin)
        }
    }

    /// `participant` left the meeting at `time` (a roster event, live): their tile goes at once
    /// instead of after the leave grace. Media of theirs timed later brings them back.
    public func remove(_ participant: ParticipantID, at time: MediaTime) {
        participants[participant]?.leftAt = time
        participants[participant]?.announced = false
    }

    /// Records that `participant` had media at `time`; false when that is before the start.
    private func note(_ participant: ParticipantID, at time: MediaTime) -> Bool {
        guard time >= .zero else {
            statistics.mediaBeforeStart += 1
            return false
        }
        lastMediaTime = max(lastMediaTime ?? time, time)
        if var state = participants[participant] {
            state.lastMediaAt = max(state.lastMediaAt, time)
            state.joinedAt = min(state.joinedAt, time)
            if let leftAt = state.leftAt, time > leftAt { state.leftAt = nil }
            participants[participant] = state
        } else {
            participants[participant] = Participant(joinedAt: time, lastMediaAt: time)
            joinOrder.append(participant)
        }
        return true
    }

    /// Encodes every output tick at or before `time`.
    public func render(through time: MediaTime) throws(MediaEncodeError) {
        while MediaTime(value: nextTick, timescale: fps) <= time {
            try renderTick()
        }
    }

    /// Encodes the ticks up to the last media received (and no later than `end`), then
    /// completes the files.
    @discardableResult
    public func finish(through end: MediaTime? = nil) throws(MediaEncodeError) -> [String] {
        if let lastMediaTime { try render(through: end.map { min($0, lastMediaTime) } ?? lastMediaTime) }
        return try writer.finish()
    }

    /// The participants the picture shows at `time`, in join order.
    public func roster(at time: MediaTime) -> [ParticipantID] {
        joinOrder.filter { id in
            guard let state = participants[id] else { return false }
            return state.joinedAt <= time && !state.isGone(at: time, leaveGrace: settings.leaveGrace)
        }
    }

    private func renderTick() throws(MediaEncodeError) {
        let time = MediaTime(value: nextTick, timescale: fps)
        let dueBy = MediaTime(value: 2 * nextTick + 1, timescale: 2 * fps)
        inputs.removeAll(keepingCapacity: true)
        let speaker = speakers?.speaker(at: time)
        for id in joinOrder {
            guard var state = participants[id] else { continue }
            while let next = state.pending.first, next.timestamp < dueBy {
                if state.current != nil && !state.currentShown { statistics.videoFramesSuperseded += 1 }
                state.current = state.pending.removeFirst()
                state.currentShown = false
            }
            if state.isGone(at: time, leaveGrace: settings.leaveGrace) {
                // Left: forget them (a later return joins anew, at the end of the order).
                participants[id] = nil
                mixer.remove(id)
                speakers?.forget(id)
                continue
            }
            let picture = state.current.flatMap { $0.timestamp + settings.videoTimeout >= time ? $0 : nil }
            if picture != nil && !state.currentShown {
                statistics.videoFramesShown += 1
                state.currentShown = true
            }
            participants[id] = state
            guard state.joinedAt <= time else { continue }
            let size = picture.map { PixelSize(width: $0.width, height: $0.height) }
            inputs.append(CompositorInput(entry: RosterEntry(id: id, joinedAt: state.joinedAt, videoOn: picture != nil, sourceSize: size,
                                                             isSpeaker: id == speaker),
                                          frame: picture, label: state.label))
        }
        joinOrder.removeAll { participants[$0] == nil }
        let canvas = timed(.composite) { compositor.compose(inputs, at: time) }
        try timed(.write) { () throws(MediaEncodeError) in try writer.write(video: canvas) }
        let audioEnd = MediaTime(value: nextTick + 1, timescale: fps).rescaled(to: Int64(AudioBlock.sampleRate))
        while mixer.position < audioEnd {
            try timed(.composite) { () throws(MediaEncodeError) in
                try mixer.mix { samples, start throws(MediaEncodeError) in
                    try timed(.write) { () throws(MediaEncodeError) in
                        try writer.write(audio: AudioBlock(channels: mixer.channels, timestamp: start, samples: Array(samples)))
                    }
                }
            }
        }
        statistics.ticks += 1
        nextTick += 1
    }

    /// Runs `body`, charging the CPU time it takes to `stage`.
    private func timed<Result, Failure: Error>(_ stage: PipelineTiming.Stage, _ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let previous = timing.enter(stage)
        defer { timing.leave(to: previous) }
        return try body()
    }
}
