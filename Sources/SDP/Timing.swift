// RFC 8866 section 5.9:
//   time-fields = 1*( %x74 "=" start-time SP stop-time *(CRLF repeat-fields) CRLF ) [zone-adjustments CRLF]

/// The `t=` line. WebRTC sessions are unbounded: `t=0 0`.
public struct Timing: Equatable, Hashable, Sendable {
    /// NTP seconds; 0 means unbounded.
    public var start: UInt64
    public var stop: UInt64

    public init(start: UInt64 = 0, stop: UInt64 = 0) {
        self.start = start
        self.stop = stop
    }

    init?(value: Substring) {
        let fields = SDPText.fields(value)
        guard fields.count == 2, let start = UInt64(fields[0]), let stop = UInt64(fields[1]) else { return nil }
        self.init(start: start, stop: stop)
    }

    var value: String { "\(start) \(stop)" }
}
