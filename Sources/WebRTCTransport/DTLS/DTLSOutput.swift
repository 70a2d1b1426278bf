/// What a `DTLSEndpoint` asks of its owner after an input, in order.
public enum DTLSOutput: Equatable, Sendable {
    /// Send this datagram to the peer.
    case send([UInt8])
    /// The handshake completed and SRTP keys were exported.
    case connected(DTLSSRTPKeys)
    /// The peer closed the association with close_notify (answered with ours).
    case closed
    /// The association failed; the endpoint takes no more input.
    case failed(DTLSError)
}

/// Where a `DTLSEndpoint` is; `closed` and `failed` are final.
public enum DTLSState: Equatable, Sendable {
    case handshaking
    case connected
    case closed
    case failed(DTLSError)
}
