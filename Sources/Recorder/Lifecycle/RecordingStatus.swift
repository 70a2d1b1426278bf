import Foundation

/// What an orchestrator knows about one recording: the `recording` object of the
/// `recording.statusUpdate` webhook and the content of the status file. Names and values follow
/// RealtimeKit (camelCase keys, ISO 8601 UTC times with milliseconds, sizes in bytes, durations
/// in whole seconds). Every key is always present; an unknown value is `null`.
public struct RecordingStatus: Sendable, Hashable, Codable {
    public var id: String
    /// The meeting's room, as in the job config.
    public var meetingId: String
    public var status: RecordingState
    public var invokedTime: Date
    public var startedTime: Date?
    public var stoppedTime: Date?
    public var fileSize: Int64?
    public var outputFileName: String?
    public var downloadUrl: String?
    public var audioDownloadUrl: String?
    public var downloadUrlExpiry: Date?
    /// Seconds of media in the output (paused spans are not in it).
    public var recordingDuration: Int?
    public var stopReason: RecordingStopReason?
    public var errorMessage: String?

    /// A recording that was just invoked.
    public init(id: String, meetingId: String, invokedTime: Date) {
        self.id = id
        self.meetingId = meetingId
        self.status = .invoked
        self.invokedTime = invokedTime
    }

    enum CodingKeys: String, CodingKey {
        case id, meetingId, status, invokedTime, startedTime, stoppedTime, fileSize, outputFileName
        case downloadUrl, audioDownloadUrl, downloadUrlExpiry, recordingDuration, stopReason
        case errorMessage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        meetingId = try container.decode(String.self, forKey: .meetingId)
        status = try container.decode(RecordingState.self, forKey: .status)
        invokedTime = try Self.decodeTime(container, .invokedTime)
        startedTime = try Self.decodeOptionalTime(container, .startedTime)
        stoppedTime = try Self.decodeOptionalTime(container, .stoppedTime)
        fileSize = try container.decodeIfPresent(Int64.self, forKey: .fileSize)
        outputFileName = try container.decodeIfPresent(String.self, forKey: .outputFileName)
        downloadUrl = try container.decodeIfPresent(String.self, forKey: .downloadUrl)
        audioDownloadUrl = try container.decodeIfPresent(String.self, forKey: .audioDownloadUrl)
        downloadUrlExpiry = try Self.decodeOptionalTime(container, .downloadUrlExpiry)
        recordingDuration = try container.decodeIfPresent(Int.self, forKey: .recordingDuration)
        stopReason = try container.decodeIfPresent(RecordingStopReason.self, forKey: .stopReason)
        errorMessage = try container.decodeIfPresent(String.self, forKey: .errorMessage)
    }

    public func encode(to encoder: any Encoder) throws {
        // `encode` of an Optional writes an explicit null, unlike the synthesized `encodeIfPresent`.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(meetingId, forKey: .meetingId)
        try container.encode(status, forKey: .status)
        try container.encode(Self.format(invokedTime), forKey: .invokedTime)
        try container.encode(startedTime.map(Self.format), forKey: .startedTime)
        try container.encode(stoppedTime.map(Self.format), forKey: .stoppedTime)
        try container.encode(fileSize, forKey: .fileSize)
        try container.encode(outputFileName, forKey: .outputFileName)
        try container.encode(downloadUrl, forKey: .downloadUrl)
        try container.encode(audioDownloadUrl, forKey: .audioDownloadUrl)
        try container.encode(downloadUrlExpiry.map(Self.format), forKey: .downloadUrlExpiry)
        try container.encode(recordingDuration, forKey: .recordingDuration)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(errorMessage, forKey: .errorMessage)
    }

    /// The JSON bytes of the status file and of `GET /status` (keys sorted, so equal statuses
    /// give equal bytes).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and nulls cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func format(_ time: Date) -> String {
        timeFormat.format(time)
    }

    private static func decodeTime(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        do {
            return try timeFormat.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\(key.stringValue) \"\(text)\" is not an ISO 8601 time with milliseconds")
        }
    }

    private static func decodeOptionalTime(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Date? {
        guard container.contains(key), try container.decodeNil(forKey: key) == false else { return nil }
        return try decodeTime(container, key)
    }
}
