import Foundation
import Testing

@testable import JobConfig

@Suite struct ValidationTests {
    private func messages(_ resolved: ResolvedJobConfig) -> [String] {
        resolved.issues.map(\.message)
    }

    /// One job with a wrong value in nearly every field: all problems are reported, in schema
    /// order, each naming the path, what was found, what is allowed and the level.
    @Test func everyValueErrorIsCollectedWithItsMessage() {
        let resolved = resolve(job: #"""
        {
          "recording_id": "rec 1",
          "meeting": {"url": "http://janus.example", "room": -1, "display_name": "", "pin": 1234},
          "file_name_prefix": "acme/2026",
          "max_seconds": 0,
          "empty_meeting_timeout_seconds": "60",
          "video_config": {
            "codec": "H265", "width": 1921, "height": 8, "fps": 61, "bitrate_kbps": 1.5,
            "layout": {"type": "mosaic", "labels": "yes", "background": "#12345"},
            "watermark": {"size": {"width": 0}, "position": "center"},
            "export_file": 1
          },
          "audio_config": {"codec": "OPUS", "channel": "5.1", "export_file": null},
          "storage_config": {"type": "s3"},
          "webhook": {"url": "ftp://example.test/hook"},
          "interactive_config": {"type": "id3"},
          "rtmp_out_config": {"rtmp_url": "http://live.example/app/streamkey"}
        }
        """#)
        let job = "(set by --job job.json)"
        #expect(messages(resolved) == [
            "recording_id: got \"rec 1\"; expected 1 to 128 characters from A-Z a-z 0-9 . _ - \(job)",
            "meeting.url: got \"http://janus.example\"; expected a URL with scheme ws or wss and a host \(job)",
            "meeting.room: got -1; expected a non-negative integer or a non-empty string \(job)",
            "meeting.pin: got a number; expected a non-empty string \(job)",
            "meeting.display_name: got \"\"; expected a non-empty string \(job)",
            "file_name_prefix: got \"acme/2026\"; expected 1 to 100 characters from A-Z a-z 0-9 . _ - \(job)",
            "max_seconds: got 0; expected an integer in 1...86400 \(job)",
            "empty_meeting_timeout_seconds: got \"60\"; expected an integer in 1...86400 \(job)",
            "video_config.codec: got \"H265\"; expected one of \"H264\", \"VP8\" \(job)",
            "video_config.width: got 1921; expected an even integer in 16...1920 \(job)",
            "video_config.height: got 8; expected an even integer in 16...1920 \(job)",
            "video_config.fps: got 61; expected an integer in 1...60 \(job)",
            "video_config.bitrate_kbps: got 1.5; expected an integer in 100...50000 \(job)",
            "video_config.layout.type: got \"mosaic\"; expected one of \"grid\", \"speaker\", \"single_speaker\", \"presentation\", \"auto\" \(job)",
            "video_config.layout.labels: got \"yes\"; expected true or false \(job)",
            "video_config.layout.background: got \"#12345\"; expected a colour \"#rrggbb\" \(job)",
            "video_config.watermark.url: missing; expected a URL with scheme file, http or https (file with a path, others with a host) (required)",
            "video_config.watermark.size.width: got 0; expected an integer in 1...1920 \(job)",
            "video_config.watermark.size.height: missing; expected an integer in 1...1920 (required)",
            "video_config.watermark.position: got \"center\"; expected one of \"left top\", \"right top\", \"left bottom\", \"right bottom\" \(job)",
            "video_config.export_file: got 1; expected true or false \(job)",
            "audio_config.codec: got \"OPUS\"; expected one of \"AAC\", \"MP3\" \(job)",
            "audio_config.channel: got \"5.1\"; expected one of \"stereo\", \"mono\" \(job)",
            "storage_config.type: got \"s3\"; expected one of \"aws\", \"digitalocean\", \"cloudflare\", \"gcs\", \"azure\", \"sftp\", \"local\" \(job)",
            "webhook.url: got \"ftp://example.test/hook\"; expected a URL with scheme http or https and a host \(job)",
            "interactive_config.type: got \"id3\"; expected one of \"ID3\" \(job)",
            "rtmp_out_config.rtmp_url: got a string; expected a URL with scheme rtmp or rtmps and a host \(job)",
        ])
        #expect(resolved.config == nil)
        #expect(throws: JobConfigError.self) { try resolved.validConfig() }
    }

    @Test func rangeEdgesAreAccepted() throws {
        let config = try resolve(
            job: minimalJob,
            flags: [
                ("video_config.width", "16"), ("video_config.height", "1920"), ("video_config.fps", "60"),
                ("max_seconds", "1"), ("empty_meeting_timeout_seconds", "86400"),
                ("video_config.layout.background", "#A0b1C2"),
            ]
        ).validConfig()
        #expect(config.videoConfig.width == 16)
        #expect(config.videoConfig.height == 1920)
        #expect(config.videoConfig.fps == 60)
        #expect(config.videoConfig.layout.background == "#A0b1C2")
    }

    @Test func oddSizeIsRejectedEvenInRange() {
        let resolved = resolve(job: minimalJob, flags: [("video_config.width", "1279"), ("video_config.fps", "0")])
        #expect(messages(resolved) == [
            "video_config.width: got 1279; expected an even integer in 16...1920 (set by flag)",
            "video_config.fps: got 0; expected an integer in 1...60 (set by flag)",
        ])
    }

    @Test func unknownFieldsAreReportedWithTheirFullPathAndLevel() {
        let resolved = resolve(
            job: #"""
            {"meeting": {"url": "ws://h", "room": 1},
             "video_config": {"layuot": {"type": "grid"}, "layout": {"colour": "#000000"}},
             "webhooks": null}
            """#,
            defaults: #"{"storage_config": {"acces_key": "x"}}"#,
            flags: [("audio_config.bitrate", "128")]
        )
        #expect(messages(resolved) == [
            "storage_config.acces_key: unknown field; expected one of type, bucket, region, access_key, secret, path, endpoint, host, port, username, password, private_key, auth_method (set by --defaults org.json)",
            "video_config.layout.colour: unknown field; expected one of type, labels, background (set by --job job.json)",
            "video_config.layuot: unknown field; expected one of codec, width, height, fps, bitrate_kbps, layout, watermark, export_file (set by --job job.json)",
            "webhooks: unknown field; expected one of recording_id, meeting, file_name_prefix, max_seconds, empty_meeting_timeout_seconds, video_config, audio_config, storage_config, webhook, interactive_config, rtmp_out_config (set by --job job.json)",
            "audio_config.bitrate: unknown field; expected one of codec, channel, export_file (set by flag)",
            // The misspelt key left storage_config without its type.
            "storage_config.type: missing; expected one of \"aws\", \"digitalocean\", \"cloudflare\", \"gcs\", \"azure\", \"sftp\", \"local\" (required)",
        ])
    }

    @Test func sectionsAndLeavesOfTheWrongKind() {
        let resolved = resolve(job: #"""
        {"meeting": {"url": "ws://h", "room": 1}, "video_config": 5, "max_seconds": {"value": 5},
         "webhook": "whsec_c2VjcmV0", "meeting_extra": []}
        """#)
        #expect(messages(resolved) == [
            "meeting_extra: unknown field; expected one of recording_id, meeting, file_name_prefix, max_seconds, empty_meeting_timeout_seconds, video_config, audio_config, storage_config, webhook, interactive_config, rtmp_out_config (set by --job job.json)",
            "max_seconds: got an object; expected an integer in 1...86400 (set by --job job.json)",
            "video_config: got 5; expected an object with fields codec, width, height, fps, bitrate_kbps, layout, watermark, export_file (set by --job job.json)",
            // A section holding secrets shows a wrong value by its kind only.
            "webhook: got a string; expected an object with fields url, secret (set by --job job.json)",
        ])
    }

    @Test func aMeetingNeedsItsUrlAndRoom() {
        #expect(messages(resolve(job: #"{"meeting": {"display_name": "bot"}}"#)) == [
            "meeting.url: missing; expected a URL with scheme ws or wss and a host (required)",
            "meeting.room: missing; expected a non-negative integer or a non-empty string (required)",
        ])
    }

    @Test func aJobWithoutMeetingIsValidForReplay() throws {
        #expect(try resolve(job: "{}").validConfig().meeting == nil)
    }

    @Test(arguments: [
        ("aws", ["bucket", "region", "access_key", "secret"]),
        ("digitalocean", ["bucket", "region", "access_key", "secret"]),
        ("cloudflare", ["bucket", "access_key", "secret", "endpoint"]),
        ("gcs", ["bucket", "access_key", "secret"]),
        ("azure", ["bucket", "access_key"]),
        ("sftp", ["host", "username", "auth_method"]),
        ("local", ["path"]),
    ])
    func storageFieldsRequiredPerType(type: String, required: [String]) {
        let resolved = resolve(job: minimalJob, flags: [("storage_config.type", type)])
        let expected = JobSchema.storage.fieldNames.filter(required.contains).map { field in
            let expectation = field == "endpoint" ? "a URL with scheme http or https and a host"
                : field == "auth_method" ? "one of \"PASSWORD\", \"KEY\"" : "a non-empty string"
            return "storage_config.\(field): missing; expected \(expectation) (required for storage type \(type))"
        }
        #expect(messages(resolved) == expected)
    }

    @Test func sftpCredentialFollowsAuthMethod() {
        let base = #"{"meeting": {"url": "ws://h", "room": 1}, "storage_config": {"type": "sftp", "host": "h", "username": "u"}}"#
        #expect(messages(resolve(job: base, flags: [("storage_config.auth_method", "PASSWORD")])) == [
            "storage_config.password: missing; expected a non-empty string (required for auth_method PASSWORD)",
        ])
        #expect(messages(resolve(job: base, flags: [("storage_config.auth_method", "KEY")])) == [
            "storage_config.private_key: missing; expected a non-empty string (required for auth_method KEY)",
        ])
        #expect(messages(resolve(job: base, flags: [("storage_config.auth_method", "key"), ("storage_config.port", "0")])) == [
            "storage_config.port: got 0; expected an integer in 1...65535 (set by flag)",
            "storage_config.auth_method: got \"key\"; expected one of \"PASSWORD\", \"KEY\" (set by flag)",
        ])
    }

    @Test func fieldsAnotherTypeUsesAreIgnored() throws {
        // An organisation default for S3 and a job that records to a local folder.
        let config = try resolve(
            job: #"{"meeting": {"url": "ws://h", "room": 1}, "storage_config": {"type": "local", "path": "/srv"}}"#,
            defaults: #"{"storage_config": {"type": "aws", "bucket": "b", "region": "r"}}"#
        ).validConfig()
        #expect(config.storageConfig?.type == .local)
        #expect(config.storageConfig?.bucket == "b")
    }

    @Test func urlShapes() {
        let resolved = resolve(job: minimalJob, flags: [
            ("meeting.url", "ws://"),
            ("video_config.watermark.url", "file://"),
            ("webhook.url", "https://hooks.example/x"),
            ("storage_config.type", "cloudflare"), ("storage_config.bucket", "b"),
            ("storage_config.access_key", "a"), ("storage_config.secret", "s"),
            ("storage_config.endpoint", "acct.r2.cloudflarestorage.com"),
        ])
        #expect(messages(resolved) == [
            "meeting.url: got \"ws://\"; expected a URL with scheme ws or wss and a host (set by flag)",
            "video_config.watermark.url: got \"file://\"; expected a URL with scheme file, http or https (file with a path, others with a host) (set by flag)",
            "storage_config.endpoint: got \"acct.r2.cloudflarestorage.com\"; expected a URL with scheme http or https and a host (set by flag)",
        ])
    }

    @Test func documentsThatAreNotJSONObjects() {
        #expect(messages(resolve(job: "[1, 2]")) == [
            "--job job.json: got an array; expected a JSON object with the job config fields",
        ])
        let broken = resolve(job: minimalJob, meeting: "{\"meeting\": {\"room\": 1,}")
        #expect(broken.issues.map(\.path) == ["--meeting meeting.json"])
        #expect(broken.issues.first?.message.hasPrefix("--meeting meeting.json: not valid JSON: ") == true)

        let missing = JobConfigLoader.resolve(ConfigSources(job: .file(path: "/nonexistent/job.json")))
        #expect(missing.issues.map(\.path) == ["--job /nonexistent/job.json"])
        #expect(missing.issues.first?.message.hasPrefix("--job /nonexistent/job.json: cannot read the file: ") == true)
    }

    @Test func readsJobFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-job-\(UUID().uuidString).json")
        try Data(minimalJob.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let resolved = JobConfigLoader.resolve(ConfigSources(job: .file(path: url.path)))
        #expect(resolved.issues == [])
        #expect(resolved.level(at: "meeting.url") == .job(file: url.path))
    }
}
