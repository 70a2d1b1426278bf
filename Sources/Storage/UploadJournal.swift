import Foundation

/// What a piecewise upload has achieved so far, kept beside the local file as
/// `<file>.upload-journal.json` and rewritten atomically after every piece. A new process
/// uploading the same file (same size and modification time) to the same destination with the
/// same piece size skips the recorded pieces. Removed when the upload completes.
struct UploadJournal: Codable, Equatable {
    struct Piece: Codable, Equatable {
        /// 1-based.
        var number: Int
        /// The S3 part's ETag, or the Azure block id.
        var tag: String
    }

    var destination: String
    var fileSize: Int64
    var fileModifiedNanoseconds: Int64
    var pieceSize: Int64
    /// The S3 multipart upload id; Azure needs none (uncommitted blocks belong to the blob).
    var uploadID: String?
    var pieces: [Piece]

    static func path(for localPath: String) -> String { localPath + ".upload-journal.json" }

    /// The journal for this file and destination, or nil when there is none or it belongs to
    /// another file version, destination or piece size (then it is ignored and later replaced).
    static func load(localPath: String, destination: String, file: LocalFile.Info, pieceSize: Int64)
        -> UploadJournal?
    {
        guard let data = FileManager.default.contents(atPath: path(for: localPath)),
            let journal = try? JSONDecoder().decode(UploadJournal.self, from: data),
            journal.destination == destination, journal.fileSize == file.size,
            journal.fileModifiedNanoseconds == file.modifiedNanoseconds,
            journal.pieceSize == pieceSize
        else { return nil }
        return journal
    }

    func save(localPath: String) throws(LocalFile.Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else {
            throw LocalFile.Failure(description: "cannot encode the upload journal")
        }
        try LocalFile.writeAtomically(Self.path(for: localPath), data: data)
    }

    static func remove(localPath: String) {
        LocalFile.remove(path(for: localPath))
    }

    func tag(of number: Int) -> String? {
        pieces.first { $0.number == number }?.tag
    }
}

/// How a file is cut into pieces: `count` pieces of `size` bytes, the last one shorter.
struct PiecePlan: Equatable {
    var size: Int64
    var count: Int

    /// `preferred` grows when the file would need more than `maxCount` pieces.
    init(fileSize: Int64, preferred: Int64, maxCount: Int) {
        var size = max(1, preferred)
        if (fileSize + size - 1) / size > Int64(maxCount) {
            size = (fileSize + Int64(maxCount) - 1) / Int64(maxCount)
        }
        self.size = size
        self.count = max(1, Int((fileSize + size - 1) / size))
    }

    func range(of number: Int, fileSize: Int64) -> (offset: Int64, length: Int) {
        let offset = Int64(number - 1) * size
        return (offset, Int(min(size, fileSize - offset)))
    }
}
