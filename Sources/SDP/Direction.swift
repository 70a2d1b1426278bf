// RFC 8866 sections 6.7.1-6.7.4: a=sendrecv / a=sendonly / a=recvonly / a=inactive
// (property attributes; also the optional direction of a=extmap, RFC 8285).

/// Which way media flows, seen from the side that wrote the description.
public enum Direction: String, Equatable, Hashable, Sendable, CaseIterable {
    case sendReceive = "sendrecv"
    case sendOnly = "sendonly"
    case receiveOnly = "recvonly"
    case inactive = "inactive"

    public var sends: Bool { self == .sendReceive || self == .sendOnly }
    public var receives: Bool { self == .sendReceive || self == .receiveOnly }
}
