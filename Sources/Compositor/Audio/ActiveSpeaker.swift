import MediaTypes

/// Who is speaking, for the speaker layouts: the participant whose audio is loudest over the
/// last `window` (mean square of the samples), if anyone is above `threshold`. A new speaker
/// takes over only when the current one has held the floor for `hold`, so the layout does not
/// blink between two people talking over each other; in silence the last speaker stays.
public struct ActiveSpeaker {
    public let window: MediaTime
    public let hold: MediaTime
    /// The quietest RMS level (of full scale) that counts as speaking.
    public let threshold: Float
    public private(set) var current: ParticipantID?
    private var since = MediaTime.zero
    /// Per participant, the start and mean square of each block of the last 2 s heard (audio
    /// is heard up to a playout delay ahead of the ticks that ask).
    private var heard: [ParticipantID: [(start: MediaTime, meanSquare: Float)]] = [:]

    public init(window: MediaTime = .milliseconds(400), hold: MediaTime = .milliseconds(1500), threshold: Float = 0.01) {
        self.window = window
        self.hold = hold
        self.threshold = threshold
    }

    /// `block` of `participant`, starting at `time` on the recording's axis (it may be ahead
    /// of the ticks asking for the speaker).
    public mutating func hear(_ block: AudioBlock, from participant: ParticipantID, at time: MediaTime) {
        guard !block.samples.isEmpty else { return }
        let meanSquare = block.samples.reduce(Float(0)) { $0 + $1 * $1 } / Float(block.samples.count)
        heard[participant, default: []].removeAll { $0.start < time - .seconds(2) }
        heard[participant, default: []].append((time, meanSquare))
    }

    public mutating func forget(_ participant: ParticipantID) {
        heard[participant] = nil
        if current == participant { current = nil }
    }

    /// The speaker at `time`, from the blocks that started in the window before it.
    public mutating func speaker(at time: MediaTime) -> ParticipantID? {
        let from = time - window
        var loudest: (participant: ParticipantID, level: Float)?
        for (participant, blocks) in heard {
            var sum: Float = 0, count = 0
            for block in blocks where block.start >= from && block.start <= time {
                sum += block.meanSquare
                count += 1
            }
            guard count > 0 else { continue }
            let level = sum / Float(count)
            // Ties go to the smaller id, so the choice does not depend on dictionary order.
            if level > (loudest?.level ?? 0) || (level == loudest?.level && participant < loudest!.participant) {
                loudest = (participant, level)
            }
        }
        guard let loudest, loudest.level >= threshold * threshold, loudest.participant != current else { return current }
        if current == nil || time - since >= hold {
            current = loudest.participant
            since = time
        }
        return current
    }
}
