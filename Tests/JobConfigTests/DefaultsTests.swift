import Foundation
import Testing

@testable import JobConfig

@Suite struct DefaultsTests {
    @Test func minimalJobGetsEveryBuiltInDefault() throws {
        let resolved = resolve(job: minimalJob)
        #expect(resolved.issues == [])
        let config = try resolved.validConfig()
        let expected = JobConfig(
            recordingID: "rec-generated",
            meeting: MeetingConfig(
                signaling: .janus, url: "ws://127.0.0.1:8188", room: .number(1234), displayName: "recorder"
            ),
            maxSeconds: 86_400,
            emptyMeetingTimeoutSeconds: 60,
            videoConfig: VideoConfig(
                codec: .h264, width: 1280, height: 720, fps: 30,
                layout: LayoutConfig(type: .grid, labels: true, background: "#101014"),
                exportFile: true
            ),
            audioConfig: AudioConfig(codec: .aac, channel: .stereo, exportFile: false)
        )
        #expect(config == expected)
        #expect(resolved.level(at: "video_config.width") == .builtIn)
        #expect(resolved.level(at: "recording_id") == .generated)
        #expect(resolved.level(at: "meeting.room") == .job(file: "job.json"))
        // Optional sections stay absent: no defaults are filled into them.
        #expect(resolved.tree.node(at: "video_config.watermark") == nil)
        #expect(resolved.tree.node(at: "storage_config") == nil)
    }

    @Test func defaultsInsideAnOptionalSectionAreFilledWhenItIsPresent() throws {
        let config = try resolve(
            job: #"""
            {"meeting": {"url": "wss://janus.example/ws", "room": "town-hall"},
             "video_config": {"watermark": {"url": "https://cdn.example/logo.png"}},
             "storage_config": {"type": "sftp", "host": "files.example", "username": "rec",
                                "auth_method": "KEY", "private_key": "k"}}
            """#
        ).validConfig()
        #expect(config.meeting?.room == .name("town-hall"))
        #expect(config.videoConfig.watermark == WatermarkConfig(url: "https://cdn.example/logo.png", position: .leftTop))
        #expect(config.storageConfig?.port == 22)
        #expect(config.storageConfig?.authMethod == .key)
    }

    @Test func portDefaultOnlyForSFTP() throws {
        let config = try resolve(
            job: #"{"meeting": {"url": "ws://h", "room": 1}, "storage_config": {"type": "local", "path": "/srv/rec"}}"#
        ).validConfig()
        #expect(config.storageConfig == StorageConfig(type: .local, path: "/srv/rec"))
    }

    @Test func specExampleParses() throws {
        let config = try resolve(job: specExampleJob).validConfig()
        #expect(config.meeting == MeetingConfig(
            signaling: .janus, url: "ws://127.0.0.1:8188", room: .number(1234), displayName: "recorder"
        ))
        #expect(config.fileNamePrefix == "acme")
        #expect(config.videoConfig.watermark == WatermarkConfig(
            url: "file:///logo.png", size: WatermarkSize(width: 120, height: 40), position: .leftTop
        ))
        #expect(config.videoConfig.bitrateKbps == nil)
        #expect(config.storageConfig == StorageConfig(
            type: .aws, bucket: "b", region: "us-east-1", accessKey: Secret("…"), secret: Secret("…"),
            path: "meetings/"
        ))
        #expect(config.webhook == WebhookConfig(url: "https://example.test/hook", secret: Secret("…")))
        #expect(config.interactiveConfig == nil)
        #expect(config.rtmpOutConfig == nil)
    }

    /// The schema (validation, printing) and the Codable types must name the same fields.
    @Test func schemaAndCodableTypesAgree() throws {
        let full = JobConfig(
            recordingID: "r", meeting: MeetingConfig(
                signaling: .janus, url: "ws://h", room: .number(1), pin: Secret("p"), token: Secret("t"),
                displayName: "d"
            ),
            fileNamePrefix: "f", maxSeconds: 1, emptyMeetingTimeoutSeconds: 1,
            videoConfig: VideoConfig(
                codec: .vp8, width: 16, height: 16, fps: 1, bitrateKbps: 100,
                layout: LayoutConfig(type: .auto, labels: false, background: "#000000"),
                watermark: WatermarkConfig(url: "file:///w.png", size: WatermarkSize(width: 1, height: 1), position: .rightBottom),
                exportFile: false
            ),
            audioConfig: AudioConfig(codec: .mp3, channel: .mono, exportFile: true),
            storageConfig: StorageConfig(
                type: .sftp, bucket: "b", region: "r", accessKey: Secret("a"), secret: Secret("s"), path: "p",
                endpoint: "https://e", host: "h", port: 2222, username: "u", password: Secret("pw"),
                privateKey: Secret("k"), authMethod: .password
            ),
            webhook: WebhookConfig(url: "https://w", secret: Secret("ws")),
            interactiveConfig: InteractiveConfig(type: .id3),
            rtmpOutConfig: RTMPOutConfig(rtmpURL: Secret("rtmp://x/y"))
        )
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(full))
        #expect(leafPaths(of: encoded) == leafPaths(of: JobSchema.root))

        let resolved = resolve(job: String(decoding: try JSONEncoder().encode(full), as: UTF8.self))
        #expect(resolved.issues == [])
        #expect(resolved.config == full)
    }

    private func leafPaths(of value: JSONValue, prefix: String = "") -> Set<String> {
        guard case .object(let fields) = value else { return [prefix] }
        return fields.reduce(into: []) { paths, field in
            paths.formUnion(leafPaths(of: field.value, prefix: prefix.isEmpty ? field.key : "\(prefix).\(field.key)"))
        }
    }

    private func leafPaths(of schema: ObjectSchema, prefix: String = "") -> Set<String> {
        schema.fields.reduce(into: []) { paths, field in
            let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
            switch field.node {
            case .leaf: paths.insert(path)
            case .object(let child): paths.formUnion(leafPaths(of: child, prefix: path))
            }
        }
    }
}
