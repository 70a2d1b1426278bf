import Testing
@testable import WebRTCTransport

/// The STUN server exchange without sockets: the request, its retransmissions, and each way
/// it ends.
@Suite struct ServerReflexiveDiscoveryTests {
    static let server = TransportAddress(ip: .v4(0xC000_0201), port: 3478)
    static let mapped = TransportAddress(ip: .v4(0xCB00_7107), port: 40_000)

    static func discovery(timeout: Duration = .seconds(3)) -> ServerReflexiveDiscovery {
        var random = ICERandom.seeded(11)
        return ServerReflexiveDiscovery(server: server, timeout: timeout, random: &random, at: .zero)
    }

    static func request(of discovery: inout ServerReflexiveDiscovery) throws -> STUNMessage {
        let sent = discovery.tick(at: .zero)
        return try STUNMessage(parsing: try #require(sent))
    }

    @Test func requestIsAPlainBindingRequestRetransmittedUntilTheDeadline() throws {
        var discovery = Self.discovery()
        let request = try Self.request(of: &discovery)
        #expect(request.messageClass == .request)
        #expect(request.method == .binding)
        #expect(request.hasFingerprint)
        #expect(request.username == nil)
        // RTO 500 ms, doubling: again at 0.5 s and 1.5 s, then the 3 s deadline.
        var sent: [Duration] = []
        var now = Duration.zero
        while let due = discovery.nextTimeout, now < .seconds(10) {
            now = due
            if let again = discovery.tick(at: now) {
                #expect(again == request.encoded())
                sent.append(now)
            }
        }
        #expect(sent == [.milliseconds(500), .milliseconds(1500)])
        #expect(discovery.outcome == .failed(reason: "192.0.2.1:3478 did not answer (Binding requests sent: 3)"))
        #expect(discovery.tick(at: .seconds(20)) == nil)
    }

    @Test func successResponseGivesTheMappedAddress() throws {
        var discovery = Self.discovery()
        let request = try Self.request(of: &discovery)
        let response = STUNMessage(
            messageClass: .successResponse, transactionID: request.transactionID, attributes: [.xorMappedAddress(Self.mapped)])
        let bytes = response.encoded()
        #expect(discovery.isResponse(bytes, from: Self.server))
        #expect(!discovery.isResponse(bytes, from: Self.mapped))
        discovery.handle(try STUNMessage(parsing: bytes))
        #expect(discovery.outcome == .discovered(Self.mapped))
        #expect(discovery.nextTimeout == nil)
    }

    @Test func otherTransactionsAndErrorsAreTold() throws {
        var discovery = Self.discovery()
        let request = try Self.request(of: &discovery)
        var random = ICERandom.seeded(99)
        let stranger = STUNMessage(
            messageClass: .successResponse, transactionID: STUNTransactionID(using: &random),
            attributes: [.xorMappedAddress(Self.mapped)])
        #expect(!discovery.isResponse(stranger.encoded(), from: Self.server))
        #expect(!discovery.isResponse([0, 1, 0, 0], from: Self.server))
        discovery.handle(stranger)
        #expect(discovery.outcome == nil)

        let error = STUNMessage(
            messageClass: .errorResponse, transactionID: request.transactionID,
            attributes: [.errorCode(code: 420, reason: "Unknown Attribute")])
        discovery.handle(try STUNMessage(parsing: error.encoded()))
        #expect(discovery.outcome == .failed(reason: "\(Self.server) answered with error 420 Unknown Attribute"))
    }
}
