import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The small JSON file next to the output that holds the last `RecordingStatus`, for an
/// orchestrator watching the disk and for a restarted process. Each write goes to a temporary
/// file in the same folder, is fsynced, and is renamed over the old one, so a reader (or a
/// crash at any point) sees either the previous status or the new one, never a torn file.
public struct RecordingStatusFile: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `recording.mp4` -> `recording.mp4.status.json`, in the output's folder.
    public init(nextToOutput outputPath: String) {
        self.init(path: outputPath + ".status.json")
    }

    public func write(_ status: RecordingStatus) throws(RecordingStatusFileError) {
        let data = status.jsonData()
        let temporaryPath = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw RecordingStatusFileError(path: temporaryPath, operation: "create", reason: "cannot create the file")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            unlink(temporaryPath)
            throw RecordingStatusFileError(path: temporaryPath, operation: "write", reason: "\(error)")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw RecordingStatusFileError(path: path, operation: "rename", reason: reason)
        }
        // The rename itself is durable only once the folder is synced.
        let folder = (path as NSString).deletingLastPathComponent
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// The last status written, e.g. by a process that was restarted.
    public func read() throws(RecordingStatusFileError) -> RecordingStatus {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RecordingStatusFileError(path: path, operation: "read", reason: "\(error)")
        }
        do {
            return try JSONDecoder().decode(RecordingStatus.self, from: data)
        } catch {
            throw RecordingStatusFileError(path: path, operation: "decode", reason: "\(error)")
        }
    }
}

public struct RecordingStatusFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let reason: String

    public var description: String { "status file \(path): \(operation) failed: \(reason)" }
}
