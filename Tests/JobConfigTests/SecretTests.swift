import Foundation
import Testing

@testable import JobConfig

@Suite struct SecretTests {
    @Test func environmentVariablesAndTheFieldsTheySupply() {
        let listed = JobConfigLoader.secretEnvironmentVariables.map { "\($0.variable)=\($0.field)" }
        #expect(listed == [
            "TESSERA_MEETING_PIN=meeting.pin",
            "TESSERA_MEETING_TOKEN=meeting.token",
            "TESSERA_STORAGE_ACCESS_KEY=storage_config.access_key",
            "TESSERA_STORAGE_SECRET=storage_config.secret",
            "TESSERA_STORAGE_PASSWORD=storage_config.password",
            "TESSERA_STORAGE_PRIVATE_KEY=storage_config.private_key",
            "TESSERA_WEBHOOK_SECRET=webhook.secret",
            "TESSERA_RTMP_URL=rtmp_out_config.rtmp_url",
        ])
    }

    @Test func fieldHelpNamesTypesDefaultsAndVariables() {
        let help = Dictionary(uniqueKeysWithValues: JobConfigLoader.fieldHelp.map { ($0.path, $0.help) })
        #expect(JobConfigLoader.fieldHelp.count == 43)
        #expect(help["video_config.width"] == "an even integer in 16...1920; default 1280")
        #expect(help["video_config.layout.type"] == "one of \"grid\", \"speaker\", \"single_speaker\", \"presentation\", \"auto\"; default \"grid\"")
        #expect(help["storage_config.secret"] == "a non-empty string; secret, or from TESSERA_STORAGE_SECRET")
        #expect(help["storage_config.port"] == "an integer in 1...65535")
    }

    @Test func everySecretCanComeFromTheEnvironment() throws {
        let environment = [
            "TESSERA_MEETING_PIN": "env-pin",
            "TESSERA_MEETING_TOKEN": "env-token",
            "TESSERA_STORAGE_ACCESS_KEY": "env-access",
            "TESSERA_STORAGE_SECRET": "env-secret",
            "TESSERA_STORAGE_PASSWORD": "env-password",
            "TESSERA_STORAGE_PRIVATE_KEY": "env-key",
            "TESSERA_WEBHOOK_SECRET": "env-webhook",
            "TESSERA_RTMP_URL": "rtmps://live.example/app/env-stream",
            "TESSERA_UNRELATED": "ignored",
        ]
        let resolved = resolve(
            job: #"""
            {"meeting": {"url": "ws://h", "room": 1},
             "storage_config": {"type": "sftp", "host": "h", "username": "u", "auth_method": "KEY"},
             "webhook": {"url": "https://hooks.example/x"},
             "rtmp_out_config": {}}
            """#,
            environment: environment
        )
        // The empty rtmp_out_config sets nothing, so the section is absent and the variable unused.
        #expect(resolved.issues == [])
        let config = try resolved.validConfig()
        #expect(config.meeting?.pin?.exposedValue == "env-pin")
        #expect(config.meeting?.token?.exposedValue == "env-token")
        #expect(config.storageConfig?.accessKey?.exposedValue == "env-access")
        #expect(config.storageConfig?.secret?.exposedValue == "env-secret")
        #expect(config.storageConfig?.password?.exposedValue == "env-password")
        #expect(config.storageConfig?.privateKey?.exposedValue == "env-key")
        #expect(config.webhook?.secret?.exposedValue == "env-webhook")
        #expect(config.rtmpOutConfig == nil)
        #expect(resolved.level(at: "webhook.secret") == .environment(variable: "TESSERA_WEBHOOK_SECRET"))

        let withRTMP = try resolve(
            job: #"{"meeting": {"url": "ws://h", "room": 1}, "rtmp_out_config": {"rtmp_url": "rtmp://placeholder/x"}}"#,
            environment: environment
        ).validConfig()
        #expect(withRTMP.rtmpOutConfig?.rtmpURL.exposedValue == "rtmps://live.example/app/env-stream")
    }

    @Test func environmentDoesNotSwitchASectionOn() throws {
        let config = try resolve(job: minimalJob, environment: ["TESSERA_WEBHOOK_SECRET": "w", "TESSERA_STORAGE_SECRET": "s"])
            .validConfig()
        #expect(config.webhook == nil)
        #expect(config.storageConfig == nil)
    }

    @Test func environmentSitsBetweenFilesAndFlags() throws {
        let job = #"{"meeting": {"url": "ws://h", "room": 1, "token": "file-token", "pin": "file-pin"}}"#
        let environment = ["TESSERA_MEETING_TOKEN": "env-token", "TESSERA_MEETING_PIN": "env-pin"]
        let resolved = resolve(job: job, environment: environment, flags: [("meeting.pin", "flag-pin")])
        let config = try resolved.validConfig()
        #expect(config.meeting?.token?.exposedValue == "env-token")
        #expect(config.meeting?.pin?.exposedValue == "flag-pin")
        #expect(resolved.level(at: "meeting.pin") == .flag)
        // An empty variable is unset.
        let unset = try resolve(job: job, environment: ["TESSERA_MEETING_TOKEN": ""]).validConfig()
        #expect(unset.meeting?.token?.exposedValue == "file-token")
    }

    @Test func secretNeverPrints() {
        let secret = Secret("hunter2")
        let outer = WebhookConfig(url: "https://h", secret: secret)
        var dumped = ""
        dump(outer, to: &dumped)
        for text in ["\(secret)", String(reflecting: secret), "\(outer)", String(reflecting: outer), dumped] {
            #expect(!text.contains("hunter2"), "\(text)")
            #expect(text.contains("***"), "\(text)")
        }
        #expect(secret.exposedValue == "hunter2")
    }

    /// Secrets from files, the environment and flags, some of them in wrong places: the
    /// printed config, every message, and every description of the config leave them out.
    @Test func secretsAppearNowhereInOutput() throws {
        let secrets = [
            "job-access-key", "job-secret", "env-webhook-secret", "flag-token", "s3cr3t-typo",
            "987654", "stream-key-42", "whsec_c2VjcmV0", "nested-s3cr3t",
        ]
        let invalid = resolve(
            job: #"""
            {"meeting": {"url": "ws://h", "room": 1, "pin": 987654},
             "storage_config": {"type": "aws", "bucket": "b", "region": "r",
                                "access_key": "job-access-key", "secret": {"value": "nested-s3cr3t"},
                                "secrte": "s3cr3t-typo"},
             "webhook": "whsec_c2VjcmV0",
             "rtmp_out_config": {"rtmp_url": "http://live.example/app/stream-key-42"}}
            """#,
            environment: ["TESSERA_WEBHOOK_SECRET": "env-webhook-secret"],
            flags: [("meeting.token", "flag-token")]
        )
        #expect(invalid.issues.count == 5)
        let valid = resolve(
            job: #"""
            {"meeting": {"url": "ws://h", "room": 1},
             "storage_config": {"type": "aws", "bucket": "b", "region": "r",
                                "access_key": "job-access-key", "secret": "job-secret"},
             "webhook": {"url": "https://hooks.example/x"}}
            """#,
            environment: ["TESSERA_WEBHOOK_SECRET": "env-webhook-secret"],
            flags: [("meeting.token", "flag-token")]
        )
        let config = try valid.validConfig()
        #expect(config.webhook?.secret?.exposedValue == "env-webhook-secret")
        var dumped = ""
        dump(config, to: &dumped)
        dump(valid, to: &dumped)
        dump(invalid, to: &dumped)
        let outputs = [
            invalid.printable(), valid.printable(), "\(config)", String(reflecting: config), dumped,
            "\(valid)", String(reflecting: invalid), "\(JobConfigError(issues: invalid.issues))",
        ] + invalid.issues.map(\.message)
        for output in outputs {
            for secret in secrets {
                #expect(!output.contains(secret), "\(secret) in \(output)")
            }
        }
    }

    @Test func printedConfigShowsEachFieldsLevel() {
        let printed = resolve(
            job: #"{"meeting": {"url": "ws://127.0.0.1:8188", "room": 1234}, "webhook": {"url": "http://127.0.0.1:9000/hook"}}"#,
            meeting: #"{"meeting": {"room": 1, "display_name": "Recorder Bot"}, "file_name_prefix": "acme"}"#,
            defaults: #"{"video_config": {"codec": "VP8"}}"#,
            environment: ["TESSERA_WEBHOOK_SECRET": "whsec_abc"],
            flags: [("video_config.width", "1920")]
        ).printable()
        #expect(printed == """
        {
          "recording_id": "rec-generated",        # generated
          "meeting": {
            "signaling": "janus",                 # built-in
            "url": "ws://127.0.0.1:8188",         # --job job.json
            "room": 1234,                         # --job job.json
            "pin": null,                          # not set
            "token": null,                        # not set
            "display_name": "Recorder Bot"        # --meeting meeting.json
          },
          "file_name_prefix": "acme",             # --meeting meeting.json
          "max_seconds": 86400,                   # built-in
          "empty_meeting_timeout_seconds": 60,    # built-in
          "video_config": {
            "codec": "VP8",                       # --defaults org.json
            "width": 1920,                        # flag
            "height": 720,                        # built-in
            "fps": 30,                            # built-in
            "bitrate_kbps": null,                 # not set
            "layout": {
              "type": "grid",                     # built-in
              "labels": true,                     # built-in
              "background": "#101014"             # built-in
            },
            "watermark": null,                    # not set
            "export_file": true                   # built-in
          },
          "audio_config": {
            "codec": "AAC",                       # built-in
            "channel": "stereo",                  # built-in
            "export_file": false                  # built-in
          },
          "storage_config": null,                 # not set
          "webhook": {
            "url": "http://127.0.0.1:9000/hook",  # --job job.json
            "secret": "***"                       # env TESSERA_WEBHOOK_SECRET
          },
          "interactive_config": null,             # not set
          "rtmp_out_config": null                 # not set
        }

        """)
    }
}
