/// Turns the pipeline's running totals, reported once a second, into the recording's metrics
/// (counters grow by what happened since the last report).
public struct PipelineMetricsFeed {
    private let metrics: RecordingMetrics
    private var last = CompositeRecording.Statistics()

    public init(metrics: RecordingMetrics) {
        self.metrics = metrics
    }

    public mutating func report(_ progress: PipelineProgress) {
        let now = progress.statistics
        metrics.setParticipants(progress.participants)
        metrics.countFrames(
            stage: "composite", in: now.videoFramesReceived - last.videoFramesReceived, out: now.ticks - last.ticks,
            dropped: now.videoFramesSuperseded - last.videoFramesSuperseded)
        last = now
    }
}
