import Testing

@testable import JobConfig

@Suite struct PrecedenceTests {
    /// Every level sets a different subset of the same nested sections; each field must come
    /// from the highest level that sets it, and the siblings it does not set must survive.
    @Test func nestedFieldsMergeAcrossAllLevels() throws {
        let resolved = resolve(
            job: #"""
            {"meeting": {"room": 1234},
             "video_config": {"fps": 25, "layout": {"labels": true}},
             "storage_config": {"bucket": "job-bucket"}}
            """#,
            meeting: #"""
            {"meeting": {"url": "wss://janus.example/ws", "room": 1},
             "video_config": {"height": 480, "fps": 20, "layout": {"type": "presentation"}}}
            """#,
            defaults: #"""
            {"video_config": {"codec": "VP8", "width": 640, "height": 360, "fps": 15,
                              "layout": {"type": "speaker", "labels": false}},
             "audio_config": {"channel": "mono"},
             "storage_config": {"type": "aws", "bucket": "org-bucket", "region": "eu-west-1",
                                "access_key": "org-key", "secret": "org-secret"}}
            """#,
            environment: ["TESSERA_STORAGE_SECRET": "env-secret"],
            flags: [("video_config.layout.type", "auto"), ("video_config.width", "1920")]
        )
        #expect(resolved.issues == [])
        let config = try resolved.validConfig()
        #expect(config.videoConfig.codec == .vp8)
        #expect(config.videoConfig.width == 1920)
        #expect(config.videoConfig.height == 480)
        #expect(config.videoConfig.fps == 25)
        #expect(config.videoConfig.layout == LayoutConfig(type: .auto, labels: true, background: "#101014"))
        #expect(config.audioConfig == AudioConfig(codec: .aac, channel: .mono, exportFile: false))
        #expect(config.meeting?.url == "wss://janus.example/ws")
        #expect(config.meeting?.room == .number(1234))
        #expect(config.storageConfig?.bucket == "job-bucket")
        #expect(config.storageConfig?.accessKey?.exposedValue == "org-key")
        #expect(config.storageConfig?.secret?.exposedValue == "env-secret")

        let expectedLevels: [String: ConfigLevel] = [
            "video_config.codec": .defaults(file: "org.json"),
            "video_config.width": .flag,
            "video_config.height": .meeting(file: "meeting.json"),
            "video_config.fps": .job(file: "job.json"),
            "video_config.layout.type": .flag,
            "video_config.layout.labels": .job(file: "job.json"),
            "video_config.layout.background": .builtIn,
            "audio_config.codec": .builtIn,
            "audio_config.channel": .defaults(file: "org.json"),
            "meeting.url": .meeting(file: "meeting.json"),
            "meeting.room": .job(file: "job.json"),
            "storage_config.bucket": .job(file: "job.json"),
            "storage_config.access_key": .defaults(file: "org.json"),
            "storage_config.secret": .environment(variable: "TESSERA_STORAGE_SECRET"),
        ]
        for (path, level) in expectedLevels {
            #expect(resolved.level(at: path) == level, "\(path)")
        }
    }

    @Test func nullMeansNotSetAndKeepsTheLowerLevel() throws {
        let resolved = resolve(
            job: #"{"meeting": {"url": "ws://h", "room": 1}, "video_config": {"bitrate_kbps": null, "layout": null}}"#,
            defaults: #"{"video_config": {"bitrate_kbps": 2500, "layout": {"type": "speaker"}}}"#
        )
        let config = try resolved.validConfig()
        #expect(config.videoConfig.bitrateKbps == 2500)
        #expect(config.videoConfig.layout.type == .speaker)
        #expect(resolved.level(at: "video_config.bitrate_kbps") == .defaults(file: "org.json"))
    }

    @Test func flagsAreTypedByTheFieldTheyName() throws {
        let config = try resolve(
            job: minimalJob,
            flags: [
                ("meeting.room", "lobby"), ("video_config.layout.labels", "false"),
                ("max_seconds", "600"), ("video_config.codec", "VP8"), ("max_seconds", "900"),
            ]
        ).validConfig()
        #expect(config.meeting?.room == .name("lobby"))
        #expect(config.videoConfig.layout.labels == false)
        #expect(config.videoConfig.codec == .vp8)
        // A later flag for the same field wins.
        #expect(config.maxSeconds == 900)
    }

    @Test func aFlagCanStartAnOptionalSection() throws {
        let config = try resolve(job: minimalJob, flags: [("webhook.url", "http://127.0.0.1:9000/hook")]).validConfig()
        #expect(config.webhook == WebhookConfig(url: "http://127.0.0.1:9000/hook"))
    }
}
