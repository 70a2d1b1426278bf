import Foundation
import Logging

/// One upload of one local file: builds its errors, and runs the loop both piecewise backends
/// share (S3 parts, Azure blocks).
struct PieceUpload {
    let localPath: String
    /// `s3://bucket/key`, `azure://account/container/blob`.
    let destination: String
    let logger: Logger

    func failure(_ operation: String, _ error: RequestRunner.Failure) -> UploadError {
        UploadError(
            reason: error.reason, operation: operation, attempts: error.attempts,
            destination: destination, keptFile: localPath)
    }

    func failure(_ operation: String, _ error: LocalFile.Failure) -> UploadError {
        UploadError(
            reason: .localFile(error.description), operation: operation, attempts: 1,
            destination: destination, keptFile: localPath)
    }

    func unexpected(_ operation: String, _ text: String) -> UploadError {
        UploadError(
            reason: .unexpectedResponse(text), operation: operation, attempts: 1,
            destination: destination, keptFile: localPath)
    }

    func info() throws(UploadError) -> LocalFile.Info {
        do { return try LocalFile.info(localPath) } catch { throw failure("stat", error) }
    }

    func read(offset: Int64, length: Int, operation: String) throws(UploadError) -> Data {
        do { return try LocalFile.read(localPath, offset: offset, length: length) } catch {
            throw failure(operation, error)
        }
    }

    /// Sends, in order, every piece the journal does not have, and records each one in the
    /// journal as soon as the store confirms it. `send` returns the piece's tag (S3 ETag,
    /// Azure block id).
    func sendMissingPieces(
        plan: PiecePlan, file: LocalFile.Info, journal: inout UploadJournal,
        progress: @Sendable (UploadProgress) -> Void,
        send: (_ number: Int, _ body: Data) async throws(UploadError) -> String
    ) async throws(UploadError) {
        var done = journal.pieces.reduce(Int64(0)) {
            $0 + Int64(plan.range(of: $1.number, fileSize: file.size).length)
        }
        progress(UploadProgress(bytesDone: done, totalBytes: file.size))
        for number in 1...plan.count where journal.tag(of: number) == nil {
            let range = plan.range(of: number, fileSize: file.size)
            let body = try read(
                offset: range.offset, length: range.length, operation: "read piece \(number)")
            let tag = try await send(number, body)
            journal.pieces.append(UploadJournal.Piece(number: number, tag: tag))
            save(journal)
            done += Int64(range.length)
            progress(UploadProgress(bytesDone: done, totalBytes: file.size))
        }
    }

    /// The journal only saves work; one that cannot be written (a full disk) costs a restart
    /// from the beginning later, not this upload.
    func save(_ journal: UploadJournal) {
        do { try journal.save(localPath: localPath) } catch {
            logger.warning("cannot write the upload journal", metadata: ["error": "\(error)"])
        }
    }
}
