import Foundation
import Logging

/// Uploads to an S3-compatible service (AWS, DigitalOcean Spaces, Cloudflare R2, Google Cloud
/// Storage with HMAC keys, MinIO): a single PutObject up to the part size, a multipart upload
/// above it (CreateMultipartUpload, UploadPart, CompleteMultipartUpload) with the upload id and
/// part ETags journaled so a restarted process resumes. Requests are signed with SigV4; the
/// payload hash is the real SHA-256 of the body, so the service rejects a corrupted part.
public struct S3Storage: Storage {
    public struct Options: Sendable, Hashable {
        /// Parts of a multipart upload. S3 needs at least 5 MiB for all but the last part;
        /// grown automatically when a file would need more than 10,000 parts.
        public var partSize: Int64
        /// Validity of the presigned download URL, clamped to 1 s ... 7 days; nil for none.
        public var downloadURLExpirySeconds: Int?
        public var retry: RetryPolicy

        public init(
            partSize: Int64 = 16 << 20,
            downloadURLExpirySeconds: Int? = SigV4.maxPresignedExpirySeconds,
            retry: RetryPolicy = RetryPolicy()
        ) {
            self.partSize = max(1, partSize)
            self.downloadURLExpirySeconds = downloadURLExpirySeconds.map {
                min(max($0, 1), SigV4.maxPresignedExpirySeconds)
            }
            self.retry = retry
        }
    }

    public let endpoint: S3Endpoint
    public let bucket: String
    let credentials: S3Credentials
    let options: Options
    let runner: RequestRunner
    let now: @Sendable () -> Date

    public init(
        endpoint: S3Endpoint, bucket: String, credentials: S3Credentials,
        transport: any HTTPTransport, options: Options = Options(),
        logger: Logger = Logger(label: "tessera.storage.s3"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.credentials = credentials
        self.options = options
        self.now = now
        self.runner = RequestRunner(
            transport: transport, policy: options.retry,
            redactor: Redactor(secrets: [credentials.accessKeyID, credentials.secretAccessKey]),
            logger: logger)
    }

    public func upload(
        localPath: String, key: String, contentType: String?,
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) -> StoredObject {
        let upload = PieceUpload(
            localPath: localPath, destination: "s3://\(bucket)/\(key)", logger: runner.logger)
        let file = try upload.info()
        let typeHeaders = contentType.map { [HTTPHeader("Content-Type", $0)] } ?? []
        if file.size <= options.partSize {
            let body = try upload.read(offset: 0, length: Int(file.size), operation: "read")
            do {
                _ = try await send(
                    "PutObject", method: "PUT", key: key, headers: typeHeaders, body: body)
            } catch { throw upload.failure("PutObject", error) }
        } else {
            try await multipartUpload(
                upload, key: key, file: file, typeHeaders: typeHeaders, progress: progress)
        }
        progress(UploadProgress(bytesDone: file.size, totalBytes: file.size))

        let address = endpoint.address(bucket: bucket, key: key)
        var stored = StoredObject(
            location: "\(endpoint.scheme)://\(address.host)\(address.encodedPath)", size: file.size)
        if let seconds = options.downloadURLExpirySeconds {
            let signedAt = now()
            // Cannot throw: Options keeps the expiry within S3's limits.
            stored.downloadURL = try? SigV4.presignedURL(
                for: SigV4Request(
                    method: "GET", host: address.host, encodedPath: address.encodedPath),
                scheme: endpoint.scheme, credentials: credentials, region: endpoint.region,
                date: signedAt, expiresSeconds: seconds)
            stored.downloadURLExpiry = signedAt.addingTimeInterval(Double(seconds))
        }
        return stored
    }

    private func multipartUpload(
        _ upload: PieceUpload, key: String, file: LocalFile.Info, typeHeaders: [HTTPHeader],
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) {
        let plan = PiecePlan(fileSize: file.size, preferred: options.partSize, maxCount: 10_000)
        var journal = UploadJournal.load(
            localPath: upload.localPath, destination: upload.destination, file: file,
            pieceSize: plan.size)
        // A journaled upload the service no longer knows (aborted, expired) starts over once.
        var mayRestart = journal != nil
        while true {
            do {
                try await multipartAttempt(
                    upload, key: key, file: file, plan: plan, resuming: journal,
                    typeHeaders: typeHeaders, progress: progress)
                UploadJournal.remove(localPath: upload.localPath)
                return
            } catch let error where mayRestart && error.reason.isNoSuchUpload {
                runner.logger.info(
                    "journaled multipart upload is gone; starting over",
                    metadata: ["key": "\(key)"])
                UploadJournal.remove(localPath: upload.localPath)
                journal = nil
                mayRestart = false
            }
        }
    }

    private func multipartAttempt(
        _ upload: PieceUpload, key: String, file: LocalFile.Info, plan: PiecePlan,
        resuming resumed: UploadJournal?, typeHeaders: [HTTPHeader],
        progress: @escaping @Sendable (UploadProgress) -> Void
    ) async throws(UploadError) {
        var journal: UploadJournal
        if let resumed, resumed.uploadID != nil {
            journal = resumed
            runner.logger.info(
                "resuming multipart upload",
                metadata: [
                    "key": "\(key)", "partsDone": "\(resumed.pieces.count)",
                    "parts": "\(plan.count)",
                ])
        } else {
            let response: HTTPResponse
            do {
                response = try await send(
                    "CreateMultipartUpload", method: "POST", key: key,
                    query: [HTTPHeader("uploads", "")], headers: typeHeaders, body: Data())
            } catch { throw upload.failure("CreateMultipartUpload", error) }
            let answer = String(decoding: response.body, as: UTF8.self)
            guard let uploadID = XMLText.first("UploadId", in: answer), !uploadID.isEmpty else {
                throw upload.unexpected("CreateMultipartUpload", "the answer has no UploadId")
            }
            journal = UploadJournal(
                destination: upload.destination, fileSize: file.size,
                fileModifiedNanoseconds: file.modifiedNanoseconds, pieceSize: plan.size,
                uploadID: uploadID, pieces: [])
            upload.save(journal)
        }
        let uploadID = journal.uploadID ?? ""

        try await upload.sendMissingPieces(
            plan: plan, file: file, journal: &journal, progress: progress
        ) { number, body throws(UploadError) in
            let operation = "UploadPart \(number)"
            let response: HTTPResponse
            do throws(RequestRunner.Failure) {
                response = try await send(
                    operation, method: "PUT", key: key,
                    query: [
                        HTTPHeader("partNumber", String(number)), HTTPHeader("uploadId", uploadID),
                    ], body: body)
            } catch { throw upload.failure(operation, error) }
            guard let etag = response.header("ETag"), !etag.isEmpty else {
                throw upload.unexpected(operation, "the answer has no ETag")
            }
            return etag
        }

        let parts = journal.pieces.sorted { $0.number < $1.number }.map {
            "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(XMLText.escape($0.tag))</ETag></Part>"
        }
        let body = Data(
            ("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + parts.joined() + "</CompleteMultipartUpload>").utf8)
        do {
            _ = try await send(
                "CompleteMultipartUpload", method: "POST", key: key,
                query: [HTTPHeader("uploadId", uploadID)],
                headers: [HTTPHeader("Content-Type", "application/xml")], body: body)
        } catch { throw upload.failure("CompleteMultipartUpload", error) }
    }

    /// One signed request to `key` through the retry runner.
    func send(
        _ operation: String, method: String, key: String, query: [HTTPHeader] = [],
        headers: [HTTPHeader] = [], body: Data
    ) async throws(RequestRunner.Failure) -> HTTPResponse {
        let address = endpoint.address(bucket: bucket, key: key)
        let payloadHash = SigV4.payloadHash(body)
        let url =
            "\(endpoint.scheme)://\(address.host)\(address.encodedPath)"
            + (query.isEmpty ? "" : "?\(PercentEncoding.query(query))")
        return try await runner.send(operation) {
            let signed = SigV4.signedHeaders(
                for: SigV4Request(
                    method: method, host: address.host, encodedPath: address.encodedPath,
                    query: query, headers: headers),
                payloadHash: payloadHash, credentials: credentials, region: endpoint.region,
                date: now())
            return HTTPRequest(
                method: method, url: url,
                headers: [HTTPHeader("Host", address.host)] + headers + signed, body: body)
        }
    }
}

extension UploadError.Reason {
    var isNoSuchUpload: Bool {
        if case .rejected(404, "NoSuchUpload", _) = self { return true }
        return false
    }
}
