import Foundation
import Logging

/// Uploads block blobs to Azure Blob Storage with Shared Key authorization: one Put Blob up to
/// the block size, above it Put Block for each block and Put Block List to commit them. Block
/// ids are derived from the block number, and the blocks already sent are journaled, so a
/// restarted process sends only the rest (Azure keeps uncommitted blocks for 7 days).
public struct AzureBlobStorage: Storage {
    public struct Options: Sendable, Hashable {
        public var blockSize: Int64
        /// Validity of the read SAS in the download URL; nil for none.
        public var downloadURLExpirySeconds: Int?
        public var retry: RetryPolicy

        public init(
            blockSize: Int64 = 16 << 20, downloadURLExpirySeconds: Int? = 604_800,
            retry: RetryPolicy = RetryPolicy()
        ) {
            self.blockSize = max(1, blockSize)
            self.downloadURLExpirySeconds = downloadURLExpirySeconds.map { max($0, 1) }
            self.retry = retry
        }
    }

    public let account: AzureAccount
    public let container: String
    let options: Options
    let runner: RequestRunner
    let now: @Sendable () -> Date

    public init(
        account: AzureAccount, container: String, transport: any HTTPTransport,
        options: Options = Options(), logger: Logger = Logger(label: "tessera.storage.azure"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.account = account
        self.container = container
        self.options = options
        self.now = now
        self.runner = RequestRunner(
            transport: transport, policy: options.retry,
            redactor: Redactor(secrets: [account.key.base64EncodedString()]), logger: logger)
    }

    /// `block-000001`, base64: every id of a blob must have the same length.
    static func blockID(_ number: Int) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return Data("block-\(padded)".utf8).base64EncodedString()
    }

    public func upload(
        localPath: String, key: String, contentType: String?,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) -> StoredObject {
        let upload = PieceUpload(
            localPath: localPath, destination: "azure://\(account.name)/\(container)/\(key)",
            logger: runner.logger)
        let file = try upload.info()
        if file.size <= options.blockSize {
            let body = try upload.read(offset: 0, length: Int(file.size), operation: "read")
            var headers = [HTTPHeader("x-ms-blob-type", "BlockBlob")]
            if let contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
            do { _ = try await send("Put Blob", key: key, headers: headers, body: body) } catch {
                throw upload.failure("Put Blob", error)
            }
        } else {
            try await blockUpload(
                upload, key: key, contentType: contentType, file: file, progress: progress)
        }
        progress(UploadProgress(bytesDone: file.size, totalBytes: file.size))

        let blob = blobAddress(key)
        var stored = StoredObject(location: blob.url, size: file.size)
        if let seconds = options.downloadURLExpirySeconds {
            let signedAt = now()
            let expiry = signedAt.addingTimeInterval(Double(seconds))
            // Starts a little in the past so a server clock slightly behind ours accepts it.
            let token = AzureBlobSAS.readToken(
                account: account, container: container, blobName: key,
                start: signedAt.addingTimeInterval(-900), expiry: expiry,
                allowHTTP: blob.url.lowercased().hasPrefix("http://"))
            stored.downloadURL = "\(blob.url)?\(token)"
            stored.downloadURLExpiry = expiry
        }
        return stored
    }

    private func blockUpload(
        _ upload: PieceUpload, key: String, contentType: String?, file: LocalFile.Info,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) {
        let plan = PiecePlan(fileSize: file.size, preferred: options.blockSize, maxCount: 50_000)
        let fresh = UploadJournal(
            destination: upload.destination, fileSize: file.size,
            fileModifiedNanoseconds: file.modifiedNanoseconds, pieceSize: plan.size,
            uploadID: nil, pieces: [])
        var journal =
            UploadJournal.load(
                localPath: upload.localPath, destination: upload.destination, file: file,
                pieceSize: plan.size) ?? fresh
        // Uncommitted blocks expire after 7 days: a journal older than that starts over once.
        var mayRestart = !journal.pieces.isEmpty
        while true {
            do throws(UploadError) {
                try await upload.sendMissingPieces(
                    plan: plan, file: file, journal: &journal, progress: progress
                ) { number, body throws(UploadError) in
                    let operation = "Put Block \(number)"
                    let blockID = Self.blockID(number)
                    do throws(RequestRunner.Failure) {
                        _ = try await send(
                            operation, key: key,
                            query: [HTTPHeader("comp", "block"), HTTPHeader("blockid", blockID)],
                            body: body)
                    } catch { throw upload.failure(operation, error) }
                    return blockID
                }
                let list = (1...plan.count).map { "<Latest>\(Self.blockID($0))</Latest>" }
                var headers: [HTTPHeader] = []
                if let contentType {
                    headers.append(HTTPHeader("x-ms-blob-content-type", contentType))
                }
                let body = Data(
                    ("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" + list.joined()
                        + "</BlockList>").utf8)
                do {
                    _ = try await send(
                        "Put Block List", key: key, query: [HTTPHeader("comp", "blocklist")],
                        headers: headers, body: body)
                } catch { throw upload.failure("Put Block List", error) }
                UploadJournal.remove(localPath: upload.localPath)
                return
            } catch let error where mayRestart && error.reason.isInvalidBlockList {
                runner.logger.info(
                    "journaled blocks are gone; starting over", metadata: ["key": "\(key)"])
                UploadJournal.remove(localPath: upload.localPath)
                journal = fresh
                mayRestart = false
            }
        }
    }

    /// The blob's URL and its path as signed (the endpoint's own path, for emulators, included).
    func blobAddress(_ key: String) -> (url: String, encodedPath: String) {
        let endpoint = account.blobEndpoint
        let afterScheme = endpoint.range(of: "://").map { $0.upperBound } ?? endpoint.startIndex
        let basePath =
            endpoint[afterScheme...].firstIndex(of: "/").map { String(endpoint[$0...]) } ?? ""
        let path =
            "\(basePath)/\(PercentEncoding.encode(container, keepSlash: false))/"
            + PercentEncoding.encode(key, keepSlash: true)
        let origin = String(endpoint.dropLast(basePath.count))
        return (origin + path, path)
    }

    /// One signed PUT to the blob through the retry runner.
    func send(
        _ operation: String, key: String, query: [HTTPHeader] = [], headers: [HTTPHeader] = [],
        body: Data
    ) async throws(RequestRunner.Failure) -> HTTPResponse {
        let blob = blobAddress(key)
        let url = blob.url + (query.isEmpty ? "" : "?\(PercentEncoding.query(query))")
        return try await runner.send(operation) {
            let time = UTCTime(epochSeconds: Int64(now().timeIntervalSince1970.rounded(.down)))
            let requestHeaders =
                headers + [
                    HTTPHeader("x-ms-date", time.rfc1123),
                    HTTPHeader("x-ms-version", AzureSharedKey.serviceVersion),
                ]
            // The transport sets Content-Length from the body; it is signed all the same.
            let authorization = AzureSharedKey.authorization(
                method: "PUT", encodedPath: blob.encodedPath, query: query,
                headers: requestHeaders + [HTTPHeader("Content-Length", String(body.count))],
                account: account)
            return HTTPRequest(
                method: "PUT", url: url,
                headers: requestHeaders + [HTTPHeader("Authorization", authorization)], body: body)
        }
    }
}

extension UploadError.Reason {
    var isInvalidBlockList: Bool {
        if case .rejected(400, "InvalidBlockList", _) = self { return true }
        return false
    }
}
