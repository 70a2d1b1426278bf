import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// POSIX file operations the backends need, with errors that name the path and errno text.
enum LocalFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Info: Equatable {
        var size: Int64
        var modifiedNanoseconds: Int64
    }

    static func info(_ path: String) throws(Failure) -> Info {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure("stat", path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(description: "\(path) is not a regular file")
        }
        #if canImport(Darwin)
            let modified =
                Int64(status.st_mtimespec.tv_sec) * 1_000_000_000
                + Int64(status.st_mtimespec.tv_nsec)
        #else
            let modified =
                Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #endif
        return Info(size: Int64(status.st_size), modifiedNanoseconds: modified)
    }

    /// Reads `length` bytes at `offset`; fewer only at the end of the file.
    static func read(_ path: String, offset: Int64, length: Int) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var data = Data(count: length)
        var filled = 0
        while filled < length {
            let count = data.withUnsafeMutableBytes { buffer in
                pread(
                    descriptor, buffer.baseAddress! + filled, length - filled,
                    off_t(offset) + off_t(filled))
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("read", path) }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }

    /// Writes `destination` so that it either does not exist or is complete: a hidden
    /// temporary name in the same folder, written by `fill`, flushed to disk, then renamed over
    /// the destination, and the folder flushed so the rename survives a crash. On any failure
    /// the temporary file is removed.
    static func writeAtomically(
        _ destination: String,
        fill: (_ write: (Data) throws(Failure) -> Void) throws(Failure) -> Void
    ) throws(Failure) {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let temporary = "\(folder)/.\(url.lastPathComponent).\(UUID().uuidString).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        var closed = false
        do throws(Failure) {
            try fill { data throws(Failure) in
                let result: Result<Void, Failure> = data.withUnsafeBytes { buffer in
                    var written = 0
                    while written < buffer.count {
                        let count = Glibc.write(
                            descriptor, buffer.baseAddress! + written, buffer.count - written)
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else { return .failure(failure("write", temporary)) }
                        written += count
                    }
                    return .success(())
                }
                try result.get()
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync", temporary) }
            closed = true
            guard close(descriptor) == 0 else { throw failure("close", temporary) }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        guard rename(temporary, destination) == 0 else {
            let error = failure("rename to \(destination)", temporary)
            unlink(temporary)
            throw error
        }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    static func writeAtomically(_ destination: String, data: Data) throws(Failure) {
        try writeAtomically(destination) { write throws(Failure) in try write(data) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func failure(_ operation: String, _ path: String) -> Failure {
        Failure(description: "\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
