import Foundation

/// Copies files into a folder. The copy appears under its final name only when complete and
/// flushed to disk (temporary name, fsync, rename); on failure (a full disk) the partial copy
/// is removed and the source file is untouched.
public struct LocalStorage: Storage {
    public let directory: String
    let chunkSize: Int

    public init(directory: String, chunkSize: Int = 4 << 20) {
        self.directory = directory
        self.chunkSize = max(1, chunkSize)
    }

    public func upload(
        localPath: String, key: String, contentType: String?,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) -> StoredObject {
        let destination = URL(fileURLWithPath: directory).appendingPathComponent(key)
            .standardizedFileURL.path
        func failure(_ operation: String, _ text: String) -> UploadError {
            UploadError(
                reason: .localFile(text), operation: operation, attempts: 1,
                destination: destination,
                keptFile: localPath)
        }
        guard !key.split(separator: "/").contains(".."), !key.isEmpty else {
            throw failure("check key", "key \(key) leaves the folder \(directory)")
        }
        let file: LocalFile.Info
        do { file = try LocalFile.info(localPath) } catch {
            throw failure("stat", error.description)
        }
        do {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: destination).deletingLastPathComponent().path,
                withIntermediateDirectories: true)
        } catch {
            throw failure("create folder", "\(error.localizedDescription)")
        }
        do {
            try LocalFile.writeAtomically(destination) { write throws(LocalFile.Failure) in
                var offset: Int64 = 0
                while offset < file.size {
                    let chunk = try LocalFile.read(
                        localPath, offset: offset,
                        length: Int(min(Int64(chunkSize), file.size - offset)))
                    guard !chunk.isEmpty else {
                        throw LocalFile.Failure(
                            description: "\(localPath) shrank while being copied")
                    }
                    try write(chunk)
                    offset += Int64(chunk.count)
                    progress(UploadProgress(bytesDone: offset, totalBytes: file.size))
                }
            }
        } catch {
            throw failure("copy", error.description)
        }
        progress(UploadProgress(bytesDone: file.size, totalBytes: file.size))
        return StoredObject(location: destination, size: file.size)
    }
}
