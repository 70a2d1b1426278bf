// RFC 8445 section 5.1.1.2: a server-reflexive candidate is the address a STUN server saw a
// Binding request come from (its XOR-MAPPED-ADDRESS, RFC 8489 section 14.2), sent from the
// socket media uses, without credentials. Over UDP the request is retransmitted with a
// doubling interval starting at the RTO (RFC 8489 section 6.2.1) until a response or the
// deadline.

/// Asks one STUN server for a socket's server-reflexive address. Sans-IO: the owner sends the
/// datagrams it returns to `server`, hands it the responses `isResponse` recognizes, and ticks it.
struct ServerReflexiveDiscovery {
    enum Outcome: Equatable {
        case discovered(TransportAddress)
        /// No usable response before the deadline, or an error response (`reason` says which).
        case failed(reason: String)
    }

    let server: TransportAddress
    private(set) var outcome: Outcome?
    private let request: [UInt8]
    private let transactionID: STUNTransactionID
    private let deadline: Duration
    private var retransmissionTimeout: Duration
    private var nextTransmission: Duration?
    private var transmissions = 0

    init(
        server: TransportAddress, timeout: Duration, initialRetransmissionTimeout: Duration = .milliseconds(500),
        random: inout ICERandom, at now: Duration
    ) {
        self.server = server
        transactionID = STUNTransactionID(using: &random)
        request = STUNMessage(messageClass: .request, transactionID: transactionID).encoded()
        deadline = now + timeout
        retransmissionTimeout = initialRetransmissionTimeout
        nextTransmission = now
    }

    /// When `tick` has something to do.
    var nextTimeout: Duration? {
        guard outcome == nil else { return nil }
        return nextTransmission.map { min($0, deadline) } ?? deadline
    }

    /// The request to send (the first one, or a retransmission) if one is due at `now`; at the
    /// deadline the discovery fails.
    mutating func tick(at now: Duration) -> [UInt8]? {
        guard outcome == nil else { return nil }
        if now >= deadline {
            outcome = .failed(reason: "\(server) did not answer (Binding requests sent: \(transmissions))")
            return nil
        }
        guard let due = nextTransmission, now >= due else { return nil }
        transmissions += 1
        nextTransmission = now + retransmissionTimeout
        retransmissionTimeout = retransmissionTimeout * 2
        return request
    }

    /// Whether `datagram` (a STUN message) answers our request: its transaction id, from
    /// the server's address.
    func isResponse(_ datagram: [UInt8], from source: TransportAddress) -> Bool {
        source == server && datagram.count >= STUNMessage.headerSize
            && datagram[8..<STUNMessage.headerSize].elementsEqual(transactionID.bytes)
    }

    /// Takes the server's response; anything else with our transaction id is ignored.
    mutating func handle(_ response: STUNMessage) {
        guard outcome == nil, response.transactionID == transactionID, response.method == .binding else { return }
        switch response.messageClass {
        case .successResponse:
            guard let mapped = response.mappedAddress else {
                outcome = .failed(reason: "\(server) answered without a mapped address")
                return
            }
            outcome = .discovered(mapped)
        case .errorResponse:
            let error = response.errorCode.map { "\($0.code) \($0.reason)" } ?? "no ERROR-CODE"
            outcome = .failed(reason: "\(server) answered with error \(error)")
        case .request, .indication:
            break
        }
    }
}
