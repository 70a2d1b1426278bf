import FFmpegBridge
import Foundation
import Logging
import MediaEncode
import MediaTypes
import Synchronization
import SyntheticMedia
import Testing

/// Every MediaEncode test runs inside this one serialized suite: the FFmpeg log is process-wide,
/// so a test that checks for warnings must not see another test's.
@Suite(.serialized) struct MediaEncodeSuite {}

/// FFmpeg warnings seen while a test encodes.
let ffmpegWarnings = Mutex<[String]>([])

func captureFFmpegWarnings() {
    ffmpegWarnings.withLock { $0.removeAll() }
    FFmpegLog.route(to: { level, message in
        if level >= .warning { ffmpegWarnings.withLock { $0.append(message) } }
    })
}

/// A fresh folder for one test's files.
func temporaryFolder(_ name: String = #function) -> String {
    let folder = NSTemporaryDirectory() + "tessera-tests/\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// Participant 0's synthetic picture and participant 1's tone (500 Hz), as every encode test uses.
let testPicture = SyntheticPicture(participant: 0)
let testTone = SyntheticTone(participant: 1)

/// Writes `seconds` of the synthetic picture and tone through a `RecordingWriter`, in 20 ms
/// audio blocks as the mixer will deliver them.
@discardableResult
func encodeSynthetic(_ output: RecordingOutput, seconds: Int, finish: Bool = true) throws -> RecordingWriter {
    let writer = try RecordingWriter(output: output)
    let fps = output.video.fps
    let pool = VideoFramePool(width: output.video.width, height: output.video.height, capacity: 2)
    var nextAudioSample: Int64 = 0
    for index in 0..<(seconds * fps) {
        let frame = pool.makeFrame(timestamp: MediaTime(value: Int64(index), timescale: Int64(fps)))
        testPicture.render(frameIndex: index, fps: fps, into: frame)
        try writer.write(video: frame)
        let audioDue = MediaTime(value: Int64(index + 1), timescale: Int64(fps)).rescaled(to: 48_000)
        while nextAudioSample < audioDue {
            try writer.write(audio: testTone.block(start: nextAudioSample, count: 960, channels: output.audioChannels))
            nextAudioSample += 960
        }
    }
    if finish { try writer.finish() }
    return writer
}

/// Top-level ISO BMFF box types of an MP4 file, in order.
func topLevelBoxes(_ path: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var boxes: [String] = []
    var offset = 0
    while offset + 8 <= data.count {
        var size = data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
        if size == 1, offset + 16 <= data.count {
            size = data[(offset + 8)..<(offset + 16)].reduce(0) { $0 << 8 | Int($1) }
        }
        boxes.append(type)
        guard size >= 8 else { break }
        offset += size
    }
    return boxes
}
