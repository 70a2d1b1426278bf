@testable import JobConfig

/// Resolves in-memory config levels named like the files a user would pass.
func resolve(
    job: String? = nil, meeting: String? = nil, defaults: String? = nil,
    environment: [String: String] = [:], flags: [(path: String, value: String)] = []
) -> ResolvedJobConfig {
    JobConfigLoader.resolve(
        ConfigSources(
            defaults: defaults.map { .text(name: "org.json", json: $0) },
            meeting: meeting.map { .text(name: "meeting.json", json: $0) },
            job: job.map { .text(name: "job.json", json: $0) },
            environment: environment,
            flags: flags
        ),
        makeRecordingID: { "rec-generated" }
    )
}

/// The smallest job that validates: everything else has a built-in default or is optional.
let minimalJob = #"{"meeting": {"url": "ws://127.0.0.1:8188", "room": 1234}}"#

/// SPEC.md's example job. Its `recording_id` there is a description of the field
/// ("optional; generated (UUID) when absent"), not a value, so the field is left out here.
let specExampleJob = #"""
{
  "meeting": {
    "signaling": "janus",
    "url": "ws://127.0.0.1:8188",
    "room": 1234,
    "pin": null,
    "token": null,
    "display_name": "recorder"
  },
  "file_name_prefix": "acme",
  "max_seconds": 86400,
  "empty_meeting_timeout_seconds": 60,
  "video_config": {
    "codec": "H264",
    "width": 1280,
    "height": 720,
    "fps": 30,
    "bitrate_kbps": null,
    "layout": { "type": "grid", "labels": true, "background": "#101014" },
    "watermark": { "url": "file:///logo.png", "size": { "width": 120, "height": 40 }, "position": "left top" },
    "export_file": true
  },
  "audio_config": { "codec": "AAC", "channel": "stereo", "export_file": false },
  "storage_config": { "type": "aws", "bucket": "b", "region": "us-east-1", "access_key": "…", "secret": "…", "path": "meetings/", "endpoint": null },
  "webhook": { "url": "https://example.test/hook", "secret": "…" },
  "interactive_config": null,
  "rtmp_out_config": null
}
"""#
