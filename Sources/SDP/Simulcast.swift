// RFC 8853 section 5.1:
//   sc-value     = ( sc-send [SP sc-recv] ) / ( sc-recv [SP sc-send] )
//   sc-send      = %s"send" SP sc-str-list        sc-recv = %s"recv" SP sc-str-list
//   sc-str-list  = sc-alt-list *( ";" sc-alt-list )
//   sc-alt-list  = sc-id *( "," sc-id )
//   sc-id        = [sc-id-paused] rid-id           sc-id-paused = "~"
// e.g. "a=simulcast:send f;h;~q" (three streams, the last one paused).

/// An `a=simulcast` line. Each direction lists the simulcast streams; each stream is a list
/// of alternative RIDs (usually one).
public struct Simulcast: Equatable, Hashable, Sendable {
    public struct Stream: Equatable, Hashable, Sendable {
        public var rid: String
        public var paused: Bool

        public init(rid: String, paused: Bool = false) {
            self.rid = rid
            self.paused = paused
        }
    }

    public var send: [[Stream]]
    public var receive: [[Stream]]

    public init(send: [[Stream]] = [], receive: [[Stream]] = []) {
        self.send = send
        self.receive = receive
    }

    init?(attributeValue: Substring) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 2 || fields.count == 4 else { return nil }
        var send: [[Stream]]?
        var receive: [[Stream]]?
        for index in stride(from: 0, to: fields.count, by: 2) {
            guard let streams = Simulcast.streams(fields[index + 1]) else { return nil }
            switch fields[index] {
            case "send" where send == nil: send = streams
            case "recv" where receive == nil: receive = streams
            default: return nil
            }
        }
        self.init(send: send ?? [], receive: receive ?? [])
    }

    var attributeValue: String {
        var parts: [String] = []
        if !send.isEmpty { parts.append("send " + Simulcast.text(of: send)) }
        if !receive.isEmpty { parts.append("recv " + Simulcast.text(of: receive)) }
        return parts.joined(separator: " ")
    }

    private static func streams(_ text: Substring) -> [[Stream]]? {
        var streams: [[Stream]] = []
        for alternatives in SDPText.split(text, separator: ";") {
            var stream: [Stream] = []
            for id in SDPText.split(alternatives, separator: ",") {
                let paused = id.hasPrefix("~")
                let rid = paused ? id.dropFirst() : id
                guard !rid.isEmpty else { return nil }
                stream.append(Stream(rid: String(rid), paused: paused))
            }
            streams.append(stream)
        }
        return streams
    }

    private static func text(of streams: [[Stream]]) -> String {
        streams.map { alternatives in
            alternatives.map { ($0.paused ? "~" : "") + $0.rid }.joined(separator: ",")
        }.joined(separator: ";")
    }
}
