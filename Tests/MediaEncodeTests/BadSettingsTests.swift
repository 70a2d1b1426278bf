import Foundation
import MediaEncode
import Testing

/// Settings a user can get wrong: each gives an error naming the field or path, and no file is
/// left under the final name.
extension MediaEncodeSuite {
    @Suite struct BadSettingsTests {
        static let cases: [(String, VideoEncoderSettings)] = [
            ("video_config.width", VideoEncoderSettings(width: 641, height: 360)),
            ("video_config.width", VideoEncoderSettings(width: 1922, height: 1080)),
            ("video_config.height", VideoEncoderSettings(width: 640, height: 8)),
            ("video_config.fps", VideoEncoderSettings(fps: 0)),
            ("video_config.fps", VideoEncoderSettings(fps: 61)),
            ("video_config.preset", VideoEncoderSettings(preset: "warp")),
            ("video_config.bitrate_kbps", VideoEncoderSettings(bitrateKbps: 0)),
            ("video_config.threads", VideoEncoderSettings(threads: -1)),
        ]

        @Test(arguments: cases)
        func invalidVideoSettingNamesItsField(field: String, settings: VideoEncoderSettings) {
            let path = temporaryFolder() + "/meeting.mp4"
            #expect {
                try RecordingWriter(output: RecordingOutput(path: path, video: settings))
            } throws: { error in
                guard case let .invalidSetting(name, _, _) = error as? MediaEncodeError else { return false }
                return name == field && "\(error)".hasPrefix(field)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }

        @Test func unknownCodecNamesAreRejectedWithTheAllowedOnes() throws {
            #expect(throws: MediaEncodeError.self) { try VideoCodec(name: "H265") }
            do {
                _ = try VideoCodec(name: "H265")
            } catch {
                #expect("\(error)" == "video_config.codec: H265 is not allowed; expected H264 or VP8")
            }
            #expect(throws: MediaEncodeError.self) { try AudioCodec(name: "FLAC") }
            #expect(try VideoCodec(name: "vp8") == .vp8)
        }

        @Test func opusIsNotASeparateAudioFileFormat() throws {
            let folder = temporaryFolder()
            let output = RecordingOutput(path: folder + "/m.webm", video: VideoEncoderSettings(codec: .vp8),
                                         audioExport: .init(codec: .opus, path: folder + "/m.opus"))
            #expect(throws: MediaEncodeError.self) { try RecordingWriter(output: output) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }

        @Test(arguments: ["/proc/tessera-cannot-write-here.mp4", "FILE/inside-a-file.mp4"])
        func unwritableOutputNamesThePath(pathPattern: String) throws {
            let folder = temporaryFolder()
            let blocker = folder + "/FILE"
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
            let path = pathPattern.hasPrefix("/") ? pathPattern : folder + "/" + pathPattern
            #expect {
                try RecordingWriter(output: RecordingOutput(path: path, video: VideoEncoderSettings(width: 320, height: 180)))
            } throws: { error in
                guard case let .unwritableOutput(named, _) = error as? MediaEncodeError else { return false }
                return named == path && "\(error)".contains(path)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }

        @Test func audioExportThatCannotBeWrittenRemovesTheVideoFileToo() {
            let folder = temporaryFolder()
            let output = RecordingOutput(path: folder + "/m.mp4", video: VideoEncoderSettings(width: 320, height: 180),
                                         audioExport: .init(codec: .aac, path: "/proc/tessera-no/m.m4a"))
            #expect(throws: MediaEncodeError.self) { try RecordingWriter(output: output) }
            #expect(!FileManager.default.fileExists(atPath: folder + "/m.mp4"))
        }
    }
}
