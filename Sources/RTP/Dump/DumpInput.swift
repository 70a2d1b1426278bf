import Foundation

/// The bytes of a dump, from memory or read from a file in chunks, so an hours-long capture never
/// has to fit in memory. Parsers ask for the next n bytes; the input tells them how many there are.
struct DumpInput {
    static let chunkSize = 1 << 20

    private let file: FileHandle?
    private let path: String
    private var buffer: [UInt8]
    /// Index in `buffer` of the next unread byte.
    private var position = 0
    private var fileExhausted: Bool
    /// File offset of the next unread byte.
    private(set) var offset: Int64 = 0

    init(bytes: [UInt8]) {
        file = nil
        path = "<memory>"
        buffer = bytes
        fileExhausted = true
    }

    init(path: String) throws(DumpError) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: "cannot open: \(error.localizedDescription)")
        }
        file = handle
        self.path = path
        buffer = []
        fileExhausted = false
    }

    /// Makes up to `count` bytes available and returns how many are (fewer only at the end).
    mutating func fill(_ count: Int) throws(DumpError) -> Int {
        while buffer.count - position < count, !fileExhausted, let file {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let chunk: Data?
            do {
                chunk = try file.read(upToCount: Swift.max(Self.chunkSize, count - buffer.count))
            } catch {
                throw .unreadable(path: path, reason: "read failed at offset \(offset): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else {
                fileExhausted = true
                break
            }
            buffer.append(contentsOf: chunk)
        }
        return Swift.min(count, buffer.count - position)
    }

    /// The next `count` bytes without consuming them, or nil when the input ends sooner.
    mutating func peek(_ count: Int) throws(DumpError) -> ArraySlice<UInt8>? {
        guard try fill(count) == count else { return nil }
        return buffer[position..<(position + count)]
    }

    /// Consumes and returns the next `count` bytes, or returns nil (consuming nothing) when the
    /// input ends sooner.
    mutating func read(_ count: Int) throws(DumpError) -> ArraySlice<UInt8>? {
        guard let bytes = try peek(count) else { return nil }
        position += count
        offset += Int64(count)
        return bytes
    }

    /// Whether every byte has been consumed.
    mutating func isAtEnd() throws(DumpError) -> Bool {
        try fill(1) == 0
    }
}
