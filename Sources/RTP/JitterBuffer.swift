import MediaTypes

/// Reorders one track's RTP packets, detects loss, assembles frames and releases them in
/// decode order (sequence-number order).
///
/// Deterministic: time comes in with each call (`arrival`, `now`), there are no clocks or
/// timers inside, so a replay of a dump makes exactly the decisions a live session made.
///
/// Use: `insert` every packet of the track as it arrives (retransmissions restored by
/// `RTXMapping` included), then `drain(now:)` for the frames that became ready. Ask
/// `nackList(now:)` for the sequence numbers to NACK and `takeKeyframeRequest()` for whether to
/// send a PLI.
///
/// Rules:
/// - A frame is the packets sharing one RTP timestamp, from a packet the depacketizer says starts
///   a frame, through the packet that ends it (marker bit) or the last one before a new timestamp.
/// - A missing packet is awaited until the reorder window passes it; then it is given up, the
///   frame it belonged to is dropped, and for video a keyframe is requested and later frames are
///   held back until a keyframe, because a decoder cannot use deltas after a hole. A video track
///   also starts out waiting for a keyframe; a first delta frame is held for the window, since
///   reordering may still bring the keyframe before it.
/// - Every dropped packet or frame is counted in `statistics`, by reason.
public struct JitterBuffer: Sendable {
    public struct Configuration: Sendable {
        public enum ReorderWindow: Sendable, Equatable {
            /// A missing packet is given up once this many later sequence numbers have arrived.
            case packets(Int)
            /// A missing packet is given up this long after its absence was noticed.
            case time(MediaTime)
        }

        public var reorderWindow: ReorderWindow
        /// How long a packet must be missing before its first NACK, so that mere reordering
        /// does not cost a retransmission.
        public var nackDelay: MediaTime
        /// How many times one missing packet is NACKed at most.
        public var maxNACKsPerPacket: Int
        /// The least time between two NACKs of the same packet (about one round trip).
        public var nackRetryInterval: MediaTime
        /// The least time between two keyframe requests while still waiting for a keyframe.
        public var keyframeRetryInterval: MediaTime
        /// Most packets held; beyond it the oldest frame is dropped (counted as overflow).
        public var capacity: Int

        public init(
            reorderWindow: ReorderWindow = .time(.milliseconds(500)), nackDelay: MediaTime = .zero, maxNACKsPerPacket: Int = 5,
            nackRetryInterval: MediaTime = .milliseconds(100), keyframeRetryInterval: MediaTime = .milliseconds(500),
            capacity: Int = 2048
        ) {
            precondition(capacity > 0, "jitter buffer capacity must be positive")
            self.reorderWindow = reorderWindow
            self.nackDelay = nackDelay
            self.maxNACKsPerPacket = maxNACKsPerPacket
            self.nackRetryInterval = nackRetryInterval
            self.keyframeRetryInterval = keyframeRetryInterval
            self.capacity = capacity
        }
    }

    public struct Statistics: Sendable, Equatable {
        /// Packets buffered (not duplicate, not late).
        public var packetsReceived = 0
        /// Packets that arrived after a higher sequence number.
        public var packetsReordered = 0
        /// Retransmissions that filled a hole.
        public var packetsRecovered = 0
        /// Sequence numbers given up without ever arriving.
        public var packetsLost = 0
        public var duplicatePackets = 0
        /// Packets that arrived after their place was given up or released.
        public var latePackets = 0
        public var framesReleased = 0
        public var keyframesReleased = 0
        /// Frames missing a packet when the reorder window passed them.
        public var incompleteFramesDropped = 0
        /// Frames the depacketizer rejected.
        public var malformedFramesDropped = 0
        /// Frames dropped because the buffer held `capacity` packets, or the sequence jumped.
        public var overflowFramesDropped = 0
        /// Video delta frames dropped while waiting for a keyframe after a loss.
        public var framesDroppedWaitingForKeyframe = 0
        public var keyframeRequests = 0

        public init() {}
    }

    /// What `insert` did with a packet.
    public enum Disposition: Sendable, Equatable {
        case buffered
        case duplicate
        case late
    }

    public let track: TrackID
    public let configuration: Configuration
    public private(set) var statistics = Statistics()
    /// Video frames are being held back until the next keyframe.
    public private(set) var isWaitingForKeyframe: Bool

    private var depacketizer: any Depacketizer
    private var sequenceNumbers = WrapAroundUnwrapper<UInt16>()
    private var timestamps = WrapAroundUnwrapper<UInt32>()
    private var packets: [Int64: BufferedPacket] = [:]
    private var missing: [Int64: MissingPacket] = [:]
    /// The extended sequence number of the last packet released, dropped or given up.
    private var cursor: Int64?
    private var highest: Int64 = 0
    /// Whether the cursor ever advanced: before that, an earlier packet may still arrive and move
    /// the start back.
    private var started = false
    /// Ring of recently received sequence numbers, to tell duplicates from late packets.
    private var history: [Int64]
    private var droppedTimestamp: Int64?
    private var keyframeRequestPending = false
    private var lastKeyframeRequest: MediaTime?

    private struct BufferedPacket: Sendable {
        var packet: RTPPacket
        var arrival: MediaTime
        var timestamp: Int64
    }

    private struct MissingPacket: Sendable {
        var noticed: MediaTime
        var nackCount = 0
        var lastNACK: MediaTime?
    }

    public init(track: TrackID, depacketizer: any Depacketizer, configuration: Configuration = Configuration()) {
        self.track = track
        self.depacketizer = depacketizer
        self.configuration = configuration
        self.isWaitingForKeyframe = depacketizer.codec.isVideo
        self.history = Array(repeating: -1, count: 2 * configuration.capacity + 1024)
    }

    public var codec: Codec { depacketizer.codec }

    /// Packets held, waiting for their frame to complete or to be released.
    public var bufferedPacketCount: Int { packets.count }

    // MARK: - Input

    @discardableResult
    public mutating func insert(_ packet: RTPPacket, arrival: MediaTime, retransmitted: Bool = false) -> Disposition {
        var sequence = sequenceNumbers.unwrap(packet.sequenceNumber)
        if let cursor, sequence - highest > Int64(configuration.capacity) || cursor - sequence > Int64(history.count) {
            // The sender restarted its sequence or jumped further than the buffer can bridge.
            resynchronize(arrival: arrival)
            sequence = sequenceNumbers.unwrap(packet.sequenceNumber)
        }
        if cursor == nil {
            cursor = sequence - 1
            highest = sequence - 1
        }
        guard var cursor else { return .late }
        if sequence <= cursor {
            if wasReceived(sequence) {
                statistics.duplicatePackets += 1
                return .duplicate
            }
            guard !started, cursor - sequence < Int64(configuration.capacity) else {
                statistics.latePackets += 1
                return .late
            }
            // Before anything left the buffer, an earlier packet moves the start back.
            for gap in sequence + 1..<cursor + 1 where packets[gap] == nil { missing[gap] = MissingPacket(noticed: arrival) }
            cursor = sequence - 1
            self.cursor = cursor
        }
        if packets[sequence] != nil {
            statistics.duplicatePackets += 1
            return .duplicate
        }
        packets[sequence] = BufferedPacket(packet: packet, arrival: arrival, timestamp: timestamps.unwrap(packet.timestamp))
        history[historySlot(sequence)] = sequence
        statistics.packetsReceived += 1
        if sequence > highest {
            for gap in highest + 1..<sequence where gap > cursor { missing[gap] = MissingPacket(noticed: arrival) }
            highest = sequence
        } else {
            statistics.packetsReordered += 1
            if missing.removeValue(forKey: sequence) != nil && retransmitted { statistics.packetsRecovered += 1 }
        }
        return .buffered
    }

    /// Sequence numbers to NACK now: missing for at least `nackDelay`, not yet given up, NACKed
    /// fewer than `maxNACKsPerPacket` times and not within `nackRetryInterval`. Each call counts
    /// as sent.
    public mutating func nackList(now: MediaTime) -> [UInt16] {
        var list: [UInt16] = []
        for sequence in missing.keys.sorted() {
            guard var entry = missing[sequence], entry.nackCount < configuration.maxNACKsPerPacket,
                  now - entry.noticed >= configuration.nackDelay else { continue }
            if let lastNACK = entry.lastNACK, now - lastNACK < configuration.nackRetryInterval { continue }
            entry.nackCount += 1
            entry.lastNACK = now
            missing[sequence] = entry
            list.append(UInt16(truncatingIfNeeded: sequence))
        }
        return list
    }

    /// Whether a keyframe (PLI) should be requested; reading it clears the request.
    public mutating func takeKeyframeRequest() -> Bool {
        defer { keyframeRequestPending = false }
        return keyframeRequestPending
    }

    // MARK: - Output

    /// The frames that are ready at `now`, in decode order. Frames whose missing packets the
    /// window has passed are dropped on the way.
    public mutating func drain(now: MediaTime) -> [EncodedFrame] {
        release(now: now, endOfStream: false)
    }

    /// At the end of the stream: releases what is complete and drops the rest.
    public mutating func finish(now: MediaTime) -> [EncodedFrame] {
        release(now: now, endOfStream: true)
    }

    private mutating func release(now: MediaTime, endOfStream: Bool) -> [EncodedFrame] {
        var frames: [EncodedFrame] = []
        while let cursor, highest > cursor {
            let next = cursor + 1
            let overflowing = packets.count > configuration.capacity
            guard let first = packets[next] else {
                guard overflowing || endOfStream || isExpired(next, now: now) else { break }
                advanceCursor(to: next)
                noteLoss(now: now)
                continue
            }
            if first.packet.payload.isEmpty {  // padding only: carries no media
                advanceCursor(to: next)
                continue
            }
            let extent = frameExtent(from: next)
            let end: Int64
            switch extent {
            case let .complete(frameEnd): end = frameEnd
            case let .missing(hole): end = hole - 1
            case .open: end = highest
            }
            if !depacketizer.startsFrame(first.packet) || first.timestamp == droppedTimestamp {
                // The start of this frame is gone (or the frame already lost a packet). At the very
                // beginning the start may still be on its way.
                if !started && !(overflowing || endOfStream || isExpired(next - 1, now: now, since: first.arrival)) {
                    break
                }
                dropFrame(through: end, timestamp: first.timestamp, overflow: overflowing, now: now)
                continue
            }
            switch extent {
            case .complete:
                if !started && isWaitingForKeyframe && !isKeyframe(from: next, through: end)
                    && !(overflowing || endOfStream || isExpired(next - 1, now: now, since: first.arrival)) {
                    // A first delta frame would be dropped; earlier packets (a keyframe) may still come.
                    return frames
                }
                if let frame = assembleFrame(from: next, through: end, first: first, now: now) { frames.append(frame) }
            case let .missing(hole):
                guard overflowing || endOfStream || isExpired(hole, now: now) else { return frames }
                dropFrame(through: end, timestamp: first.timestamp, overflow: overflowing, now: now)
            case .open:
                guard overflowing || endOfStream || isExpired(highest + 1, now: now, since: first.arrival) else {
                    return frames
                }
                dropFrame(through: end, timestamp: first.timestamp, overflow: overflowing, now: now)
            }
        }
        return frames
    }

    private enum FrameExtent {
        /// Every packet from the start through this sequence number is here.
        case complete(end: Int64)
        /// This sequence number, inside or right after the frame, has not arrived.
        case missing(Int64)
        /// All packets so far are here but the frame's end has not arrived.
        case open
    }

    private func frameExtent(from start: Int64) -> FrameExtent {
        guard let timestamp = packets[start]?.timestamp else { return .missing(start) }
        var sequence = start
        while true {
            guard let buffered = packets[sequence] else { return sequence > highest ? .open : .missing(sequence) }
            if buffered.timestamp != timestamp { return .complete(end: sequence - 1) }
            if depacketizer.endsFrame(buffered.packet) { return .complete(end: sequence) }
            sequence += 1
        }
    }

    /// Whether the wait for `sequence` is over: the window has passed it. `since` is when the
    /// wait began for positions that are not recorded as missing (frame heads and tails).
    private func isExpired(_ sequence: Int64, now: MediaTime, since: MediaTime? = nil) -> Bool {
        switch configuration.reorderWindow {
        case let .packets(count):
            return highest - sequence >= Int64(count)
        case let .time(duration):
            guard let noticed = missing[sequence]?.noticed ?? since else { return false }
            return now - noticed >= duration
        }
    }

    /// Whether the frame assembles into a keyframe, without changing the depacketizer's state.
    private func isKeyframe(from start: Int64, through end: Int64) -> Bool {
        var probe = depacketizer
        return (try? probe.assemble((start...end).compactMap { packets[$0]?.packet }))?.isKeyframe ?? false
    }

    private mutating func assembleFrame(
        from start: Int64, through end: Int64, first: BufferedPacket, now: MediaTime
    ) -> EncodedFrame? {
        let framePackets = (start...end).compactMap { packets[$0]?.packet }
        advanceCursor(to: end)
        let assembled: DepacketizedFrame
        do {
            assembled = try depacketizer.assemble(framePackets)
        } catch {
            statistics.malformedFramesDropped += 1
            noteLoss(now: now)
            return nil
        }
        if isWaitingForKeyframe {
            guard assembled.isKeyframe else {
                statistics.framesDroppedWaitingForKeyframe += 1
                requestKeyframe(now: now)
                return nil
            }
            isWaitingForKeyframe = false
        }
        statistics.framesReleased += 1
        if assembled.isKeyframe { statistics.keyframesReleased += 1 }
        return EncodedFrame(
            track: track, codec: depacketizer.codec, data: assembled.data,
            timestamp: MediaTime(value: first.timestamp, timescale: depacketizer.clockRate),
            isKeyframe: assembled.isKeyframe)
    }

    /// Drops the buffered packets through `end`. Pieces of a frame already dropped (after a hole
    /// in it) are not counted again.
    private mutating func dropFrame(through end: Int64, timestamp: Int64, overflow: Bool, now: MediaTime) {
        advanceCursor(to: end)
        guard timestamp != droppedTimestamp else { return }
        droppedTimestamp = timestamp
        if overflow { statistics.overflowFramesDropped += 1 } else { statistics.incompleteFramesDropped += 1 }
        noteLoss(now: now)
    }

    private mutating func advanceCursor(to end: Int64) {
        guard let cursor, end > cursor else { return }
        for sequence in cursor + 1...end {
            packets.removeValue(forKey: sequence)
            if missing.removeValue(forKey: sequence) != nil { statistics.packetsLost += 1 }
        }
        self.cursor = end
        started = true
    }

    /// Media was lost: a video decoder needs a keyframe before it can go on.
    private mutating func noteLoss(now: MediaTime) {
        guard depacketizer.codec.isVideo else { return }
        isWaitingForKeyframe = true
        requestKeyframe(now: now)
    }

    private mutating func requestKeyframe(now: MediaTime) {
        if keyframeRequestPending { return }  // one loss event can reach here twice before it is taken
        if let lastKeyframeRequest, now - lastKeyframeRequest < configuration.keyframeRetryInterval { return }
        lastKeyframeRequest = now
        keyframeRequestPending = true
        statistics.keyframeRequests += 1
    }

    /// Forgets everything buffered after a sequence discontinuity.
    private mutating func resynchronize(arrival: MediaTime) {
        let droppedFrames = Set(packets.values.map(\.timestamp)).count
        statistics.overflowFramesDropped += droppedFrames
        packets.removeAll()
        missing.removeAll()
        cursor = nil
        started = false
        sequenceNumbers = WrapAroundUnwrapper()
        history = Array(repeating: -1, count: history.count)
        noteLoss(now: arrival)
    }

    private func historySlot(_ sequence: Int64) -> Int {
        Int(((sequence % Int64(history.count)) + Int64(history.count)) % Int64(history.count))
    }

    private func wasReceived(_ sequence: Int64) -> Bool { history[historySlot(sequence)] == sequence }
}
