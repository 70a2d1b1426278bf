import Foundation

/// Where uploaded files go. One implementation per kind of store; the caller maps its
/// configuration to one of them and hands over finished files.
///
/// An upload is resumable: backends that send a file in pieces keep a journal beside the local
/// file (see `UploadJournal`), so a new process uploading the same file to the same place
/// continues where the last one stopped. On failure the local file is left where it is and the
/// error names it.
public protocol Storage: Sendable {
    /// Uploads the file at `localPath` as `key` (a `/`-separated name inside the store).
    /// `progress` is called as bytes are confirmed by the store, not merely sent.
    func upload(
        localPath: String, key: String, contentType: String?,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) -> StoredObject
}

public struct UploadProgress: Sendable, Hashable {
    public var bytesDone: Int64
    public var totalBytes: Int64

    public init(bytesDone: Int64, totalBytes: Int64) {
        self.bytesDone = bytesDone
        self.totalBytes = totalBytes
    }
}

/// Where an uploaded file now is.
public struct StoredObject: Sendable, Hashable {
    /// The object's URL (`https://…`, unsigned) or, for a folder, its absolute path.
    public var location: String
    /// A URL anyone can download the object with until `downloadURLExpiry`, where the store
    /// supports one (S3 presigned GET, Azure read SAS).
    public var downloadURL: String?
    public var downloadURLExpiry: Date?
    public var size: Int64

    public init(
        location: String, downloadURL: String? = nil, downloadURLExpiry: Date? = nil, size: Int64
    ) {
        self.location = location
        self.downloadURL = downloadURL
        self.downloadURLExpiry = downloadURLExpiry
        self.size = size
    }
}

/// Builds an object key from the configured prefix (`path`, a folder) and a file name:
/// `meetings` + `a.mp4` and `meetings/` + `a.mp4` both give `meetings/a.mp4`; no prefix gives
/// the name alone. Leading slashes are dropped: keys are relative to the bucket.
public func objectKey(prefix: String?, fileName: String) -> String {
    var folder = prefix ?? ""
    while folder.hasPrefix("/") { folder.removeFirst() }
    while folder.hasSuffix("/") { folder.removeLast() }
    return folder.isEmpty ? fileName : "\(folder)/\(fileName)"
}
