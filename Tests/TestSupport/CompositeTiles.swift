import MediaTypes

/// A tile of a composite picture, in pixels of the canvas.
public struct Tile: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// What one tile of a composite frame shows: which test-bed participant (its index strip),
/// which of their frames (the counter strip), and whether it is a flash frame.
public struct TileReading: Sendable {
    public var time: Double
    public var tile: Tile
    public var participant: Int
    public var frameCounter: Int
    public var isFlash: Bool
}

/// Reads a composite of `scripts/testbed/participant.py` patterns back, tile by tile.
public enum CompositeTiles {
    /// Per frame, the readings of its tiles. `layouts[n - 1]` is the grid for n participants;
    /// a frame's layout is the largest whose tiles all show a picture (not the dark
    /// background). Placeholders are skipped. A flash whitens the index strip too, so a
    /// flashing tile keeps the owner read in that tile before.
    public static func read(_ frames: [VideoFrame], layouts: [[Tile]]) -> [[TileReading]] {
        var owners: [Tile: Int] = [:]
        return frames.map { frame in
            let tiles = layouts.last { tiles in
                tiles.allSatisfy { PictureMetrics.mean(frame, .y, x: $0.x + $0.width / 4, y: $0.y + $0.height / 2, width: 8, height: 8) > 30 }
            } ?? []
            return tiles.compactMap { tile in
                let flash = SyncMeasurement.isFlash(frame, x: tile.x, y: tile.y, width: tile.width, height: tile.height)
                let pattern = TestbedPattern(frame: frame, x: tile.x, y: tile.y, width: tile.width, height: tile.height)
                if !flash {
                    // A placeholder (or anything but a participant's picture) is nobody's.
                    guard pattern.matchesItsPalette else {
                        owners[tile] = nil
                        return nil
                    }
                    owners[tile] = pattern.participantIndex
                }
                guard let owner = owners[tile] else { return nil }
                return TileReading(time: frame.timestamp.seconds, tile: tile, participant: owner,
                                   frameCounter: pattern.frameCounter, isFlash: flash)
            }
        }
    }

    /// For each participant, beep onset minus flash onset (seconds) for each of their flashes
    /// (nil where no beep was found near it), and the flash onsets. Participant k beeps at
    /// 2000 + 300 k Hz with peak `beepAmplitude` in the mix.
    public static func lipSync(_ readings: [[TileReading]], audio media: DecodedMedia, participants: [Int], beepAmplitude: Double)
        -> [Int: (offsets: [Double?], flashes: [Double])]
    {
        var samples: [Int: [(time: Double, bright: Bool)]] = [:]
        for frame in readings {
            for reading in frame { samples[reading.participant, default: []].append((reading.time, reading.isFlash)) }
        }
        var result: [Int: (offsets: [Double?], flashes: [Double])] = [:]
        for index in participants {
            let flashes = SyncMeasurement.flashOnsets(samples[index] ?? [])
            let beeps = SyncMeasurement.beepOnsets(media.audioSamples, channels: media.audioChannels, frequency: Double(2000 + 300 * index),
                                                   amplitude: beepAmplitude, startTime: media.audioStartTime ?? 0)
            result[index] = (SyncMeasurement.offsets(flashes: flashes, beeps: beeps), flashes)
        }
        return result
    }
}
