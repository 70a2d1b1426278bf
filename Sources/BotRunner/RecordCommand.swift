import ArgumentParser
import Foundation
import JobConfig
import Logging
import MediaTypes
import Recorder
import SignalingClient
import WebRTCTransport

/// `tessera record`: joins the job's meeting as a hidden participant and records it until a
/// stop rule fires (max_seconds, an empty meeting, a signal, the control endpoint, the meeting
/// ending), then uploads and reports like every recording.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Join a meeting and record it into one composite file.",
        discussion: """
            The output is OUTPUT_DIR/{file_name_prefix}_{room}_{start epoch ms}.mp4 (.webm for VP8), with its \\
            status file beside it (NAME.status.json). Exit codes: 0 recorded and delivered, 2 bad config, \\
            3 could not join, 4 recording failed (what was written is kept), 5 upload failed (the file stays).
            """
    )

    @Option(help: "Where the recording is written.") var outputDir = "."
    @Option(help: ArgumentHelp(
        "The local address media is received on: an IP literal of an interface the meeting server can reach, or 0.0.0.0 / :: for every interface.",
        valueName: "address"))
    var iceAddress = "0.0.0.0"
    @Option(help: ArgumentHelp("UDP ports to receive media on.", valueName: "low-high")) var icePorts = "40000-40999"
    @OptionGroup var config: ConfigOptions
    @OptionGroup var session: SessionOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let job = try config.resolve()
        guard let meeting = job.meeting else {
            throw ValidationError("record needs the meeting to join: set meeting.url and meeting.room (--job, --meeting or --set)")
        }
        let ports = try Self.portRange(icePorts)
        let sessionOptions = try session.sessionOptions()
        let logger = logging.bootstrap(recordingID: job.recordingID)
        let codec = job.videoConfig.codec == .vp8 ? "webm" : "mp4"
        let name = [job.fileNamePrefix, meeting.room.description, String(Int64(Date().timeIntervalSince1970 * 1000))]
            .compactMap { $0 }.joined(separator: "_")
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        let out = (outputDir as NSString).appendingPathComponent("\(name).\(codec)")
        let settings = try CompositeSettings(job: job, outputPath: out)
        let signaling = JanusVideoRoom(
            configuration: JanusVideoRoomConfiguration(
                url: meeting.url, room: meeting.room.janusID, displayName: meeting.displayName,
                pin: meeting.pin?.exposedValue, token: meeting.token?.exposedValue),
            logger: logger)
        let transport = PeerConnectionConfiguration(bindAddress: iceAddress, ports: ports)
        let recording = try RecordingSession(
            job: job, meetingID: meeting.room.description, statusFile: RecordingStatusFile(nextToOutput: out),
            options: sessionOptions, logger: logger)
        let invoked = ContinuousClock.now
        logger.info("recording", metadata: ["meeting": "\(meeting.url)", "room": "\(meeting.room)", "output": "\(out)"])
        let outcome = await recording.runTrappingSignals(logger: logger) { context in
            let inbox = LiveMediaSource.Inbox()
            let live = LiveMeeting(
                signaling: signaling,
                options: LiveMeeting.Options(transport: transport, emptyMeetingTimeout: .seconds(job.emptyMeetingTimeoutSeconds)),
                inbox: inbox, control: context.control, logger: logger)
            try await live.join()
            let meetingEvents = Task { await live.run() }
            let summary: CompositePipeline.Summary, media: LiveMediaSource.Counters
            do {
                (summary, media) = try await onOwnThread {
                    let source = LiveMediaSource(inbox: inbox) { live.requestKeyframe(track: $0) }
                    var metrics = PipelineMetricsFeed(metrics: context.metrics)
                    let summary = try CompositePipeline(source: source, settings: settings).run(PipelineOptions(
                        pacing: .realTime, control: context.control, maxDuration: .seconds(Int64(job.maxSeconds)),
                        started: { name in
                            logger.info("first media recorded", metadata: [
                                "seconds_since_start": "\(String(format: "%.2f", (ContinuousClock.now - invoked) / .seconds(1)))",
                            ])
                            context.started(name)
                        },
                        progress: { metrics.report($0) }))
                    return (summary, source.counters)
                }
            } catch {
                context.control.requestStop(.internalError)
                await meetingEvents.value
                throw error
            }
            // A stop the pipeline decided itself (max_seconds, its source ending) ends the meeting side too.
            context.control.requestStop(summary.stopReason ?? .meetingEnded)
            await meetingEvents.value
            logger.info("recording finished", metadata: [
                "files": "\(summary.files)", "media_seconds": "\(summary.mediaDuration.seconds)",
                "stop_reason": "\(summary.stopReason?.rawValue ?? "meeting ended")",
                "frames_received": "\(media.framesIn)", "video_frames_decoded": "\(media.videoFramesDecoded)",
                "audio_blocks_decoded": "\(media.audioBlocksDecoded)", "decode_errors": "\(media.decodeErrors)",
                "unsupported_tracks": "\(media.unsupportedTracks)",
            ])
            for (track, video) in media.videoTracks.sorted(by: { $0.key < $1.key }) {
                logger.info("video track", metadata: [
                    "track": "\(track)", "participant": "\(video.participant)", "frames_received": "\(video.framesIn)",
                    "frames_decoded": "\(video.framesDecoded)", "dropped_awaiting_keyframe": "\(video.droppedAwaitingKeyframe)",
                    "keyframe_requests": "\(video.keyframeRequests)",
                ])
            }
            if let lost = live.lostServer { throw LiveRecordingError.meetingServerLost(reason: lost, kept: summary.files) }
            return RecordedOutput(files: summary.files, duration: summary.mediaDuration, stopReason: summary.stopReason ?? .meetingEnded)
        }
        try finish(outcome)
    }

    static func portRange(_ text: String) throws -> ClosedRange<UInt16> {
        let bounds = text.split(separator: "-").map { UInt16($0) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low > 0, low <= high else {
            throw ValidationError("--ice-ports \(text): expected LOW-HIGH, e.g. 40000-40999")
        }
        return low...high
    }
}

extension RoomID {
    var janusID: JanusID {
        switch self {
        case .number(let number): .number(UInt64(number))
        case .name(let name): .string(name)
        }
    }
}
