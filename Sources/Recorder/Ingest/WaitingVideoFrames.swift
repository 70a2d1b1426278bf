import MediaTypes

/// One track's received video frames that the output has not reached yet, kept encoded.
///
/// Media is read a playout delay (600 ms) ahead of the output; decoding it on arrival kept
/// about 18 decoded pictures per participant waiting in memory (345 KB each at 640x360)
/// against a few kilobytes per encoded frame. A frame is decoded once the output clock nears
/// its local time instead. Frames leave in arrival order: a decoder needs them in order.
struct WaitingVideoFrames {
    private var frames: [(frame: EncodedFrame, localTime: MediaTime?)] = []

    var isEmpty: Bool { frames.isEmpty }

    /// Queues `frame`, due at `localTime` on the pipeline clock (nil: not placeable, due at
    /// once so the decoder still sees it).
    mutating func append(_ frame: EncodedFrame, localTime: MediaTime?) {
        frames.append((frame, localTime))
    }

    /// Hands `body` the frames due by `horizon` (all of them when nil), oldest first.
    mutating func removeDue(through horizon: MediaTime?, _ body: (EncodedFrame, MediaTime?) -> Void) {
        var count = 0
        for (frame, localTime) in frames {
            if let horizon, let localTime, localTime > horizon { break }
            body(frame, localTime)
            count += 1
        }
        frames.removeFirst(count)
    }

    /// The local time of `picture`, which decoding `frame` (due at `frameTime`) gave: the
    /// frame's own, since WebRTC video has no reordering; a picture of another timestamp (a
    /// decoder that holds one back) is timed by `localTime` now.
    static func localTime(of picture: VideoFrame, decodedFrom frame: EncodedFrame, dueAt frameTime: MediaTime?,
                          otherwise localTime: (MediaTime) -> MediaTime?) -> MediaTime? {
        picture.timestamp == frame.timestamp ? frameTime : localTime(picture.timestamp)
    }
}
