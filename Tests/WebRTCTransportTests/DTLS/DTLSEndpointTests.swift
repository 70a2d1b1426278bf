import Testing

@testable import WebRTCTransport

@Suite struct DTLSEndpointTests {
    /// Retransmissions after 20 ms keep lossy handshakes short.
    static func configuration(_ profiles: [SRTPProtectionProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80])
        -> DTLSConfiguration
    {
        DTLSConfiguration(srtpProfiles: profiles, initialRetransmitTimeout: .milliseconds(20))
    }

    /// A client and a server with fresh certificates, each expecting the other's fingerprint
    /// unless told otherwise.
    static func makeLink(
        clientConfiguration: DTLSConfiguration = configuration(),
        serverConfiguration: DTLSConfiguration = configuration(),
        clientExpects: DTLSFingerprint? = nil,
        serverExpects: DTLSFingerprint? = nil
    ) throws -> (link: DTLSMemoryLink, clientCertificate: DTLSCertificate, serverCertificate: DTLSCertificate) {
        let clientCertificate = try DTLSCertificate(commonName: "client")
        let serverCertificate = try DTLSCertificate(commonName: "server")
        let client = try DTLSEndpoint(
            role: .client, certificate: clientCertificate,
            remoteFingerprint: clientExpects ?? serverCertificate.fingerprint, configuration: clientConfiguration)
        let server = try DTLSEndpoint(
            role: .server, certificate: serverCertificate,
            remoteFingerprint: serverExpects ?? clientCertificate.fingerprint, configuration: serverConfiguration)
        return (DTLSMemoryLink(client: client, server: server), clientCertificate, serverCertificate)
    }

    @Test(arguments: SRTPProtectionProfile.allCases)
    func handshakeExportsCrosswiseMatchingKeys(profile: SRTPProtectionProfile) throws {
        let (link, _, _) = try Self.makeLink(
            clientConfiguration: Self.configuration([profile]), serverConfiguration: Self.configuration([profile]))
        link.runHandshake()

        #expect(link.client.state == .connected)
        #expect(link.server.state == .connected)
        let clientKeys = try #require(link.clientKeys)
        let serverKeys = try #require(link.serverKeys)
        #expect(clientKeys.profile == profile)
        #expect(serverKeys.profile == profile)
        // What the client writes with is what the server reads with, and the other way round.
        #expect(clientKeys.clientWrite == serverKeys.clientWrite)
        #expect(clientKeys.serverWrite == serverKeys.serverWrite)
        #expect(clientKeys.clientWrite.key.count == 16)
        #expect(clientKeys.clientWrite.salt.count == profile.saltLength)
        #expect(clientKeys.clientWrite != clientKeys.serverWrite)
        #expect(clientKeys.clientWrite.key != [UInt8](repeating: 0, count: 16))
        // Nothing is left to retransmit once both sides are connected.
        #expect(link.client.retransmitDeadline == nil)
        #expect(link.retransmitted == 0)
    }

    @Test(arguments: [1200, 300])
    func datagramsStayWithinTheConfiguredSize(size: Int) throws {
        var configuration = Self.configuration()
        configuration.maximumDatagramSize = size
        let (link, _, _) = try Self.makeLink(clientConfiguration: configuration, serverConfiguration: configuration)
        link.runHandshake()
        #expect(link.client.state == .connected)
        #expect(link.largestDatagram <= size)
        #expect(link.largestDatagram > 200)
    }

    @Test func aDatagramSizeBelowDTLSMinimumIsRefused() throws {
        var configuration = Self.configuration()
        configuration.maximumDatagramSize = 100
        let certificate = try DTLSCertificate()
        #expect(throws: DTLSError.openSSLCall("SSL_set_mtu(100)", errors: [])) {
            try DTLSEndpoint(
                role: .client, certificate: certificate, remoteFingerprint: certificate.fingerprint,
                configuration: configuration)
        }
    }

    @Test func serverPreferenceChoosesTheProfile() throws {
        let (link, _, _) = try Self.makeLink(
            clientConfiguration: Self.configuration([.aes128CmHmacSha1_80, .aeadAes128Gcm]),
            serverConfiguration: Self.configuration([.aeadAes128Gcm, .aes128CmHmacSha1_80]))
        link.runHandshake()
        #expect(link.clientKeys?.profile == .aeadAes128Gcm)
        #expect(link.serverKeys?.profile == .aeadAes128Gcm)
    }

    @Test(arguments: SRTPProtectionProfile.allCases)
    func exportedKeysProtectSRTPAndSRTCPBetweenTheRoles(profile: SRTPProtectionProfile) throws {
        let (link, _, _) = try Self.makeLink(
            clientConfiguration: Self.configuration([profile]), serverConfiguration: Self.configuration([profile]))
        link.runHandshake()
        let clientSession = try #require(link.clientKeys).makeSession(for: .client)
        let serverSession = try #require(link.serverKeys).makeSession(for: .server)
        let rtp: [UInt8] = [0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x03, 0xE8, 0xCA, 0xFE, 0xBA, 0xBE, 1, 2, 3, 4, 5]
        // A receiver report without report blocks.
        let rtcp: [UInt8] = [0x80, 0xC9, 0x00, 0x01, 0xCA, 0xFE, 0xBA, 0xBE]

        for (sender, receiver) in [(clientSession, serverSession), (serverSession, clientSession)] {
            var packet = rtp
            try sender.protect(rtp: &packet)
            #expect(packet != rtp)
            try receiver.unprotect(rtp: &packet)
            #expect(packet == rtp)

            var report = rtcp
            try sender.protect(rtcp: &report)
            try receiver.unprotect(rtcp: &report)
            #expect(report == rtcp)
        }
        // A session does not accept what it protected itself: each direction has its own key.
        var own = rtp
        own[3] = 2  // the next sequence number: protecting one twice is refused as a replay
        try clientSession.protect(rtp: &own)
        #expect(throws: SRTPError.self) { try clientSession.unprotect(rtp: &own) }
    }

    @Test func lostFirstFlightsAreRetransmittedOnTick() throws {
        let (link, _, _) = try Self.makeLink()
        // Lose the ClientHello and then the server's whole first flight.
        var serverFlightsSeen = 0
        link.shouldDrop = { side, index, _ in
            if side == .client { return index == 0 }
            serverFlightsSeen += 1
            return serverFlightsSeen <= 4
        }
        link.runHandshake()
        #expect(link.client.state == .connected)
        #expect(link.server.state == .connected)
        #expect(link.dropped >= 2)
        #expect(link.retransmitted >= 2)
        #expect(link.clientKeys == link.serverKeys)
    }

    @Test(arguments: [1, 3, 4, 5, 6, 8] as [UInt64])
    func handshakeCompletesWithSeededLoss(seed: UInt64) throws {
        let (link, _, _) = try Self.makeLink()
        var generator = SeededGenerator(seed: seed)
        link.shouldDrop = { _, _, _ in Double.random(in: 0..<1, using: &generator) < 0.25 }
        link.runHandshake(timeLimit: .seconds(20))
        #expect(link.client.state == .connected, "seed \(seed): \(link.clientEvents)")
        #expect(link.server.state == .connected, "seed \(seed): \(link.serverEvents)")
        #expect(link.clientKeys != nil && link.clientKeys == link.serverKeys)
        // Which side recovers a drop (a timer here, the peer's retransmission there) depends on
        // OpenSSL's real-time timers; the scripted-loss test above checks retransmission itself.
        #expect(link.dropped > 0)
    }

    @Test func aSilentPeerTimesTheHandshakeOut() throws {
        var configuration = Self.configuration()
        configuration.initialRetransmitTimeout = .milliseconds(1)
        let (link, _, _) = try Self.makeLink(clientConfiguration: configuration)
        link.shouldDrop = { _, _, _ in true }
        let started = ContinuousClock.now
        link.runHandshake(timeLimit: .seconds(20))
        #expect(link.client.state == .failed(.handshakeTimedOut))
        #expect(link.clientEvents == [.failed(.handshakeTimedOut)])
        // The ClientHello is resent with a doubling timeout for seconds before OpenSSL gives up.
        #expect(link.retransmitted >= 5)
        #expect(ContinuousClock.now - started > .seconds(4))
        #expect(link.client.retransmitDeadline == nil)
    }

    @Test func serverRefusesAClientWhoseCertificateMismatchesTheFingerprint() throws {
        let announced = try DTLSCertificate(commonName: "announced").fingerprint
        let (link, clientCertificate, _) = try Self.makeLink(serverExpects: announced)
        link.runHandshake()

        let expected = DTLSError.fingerprintMismatch(expected: announced, actual: clientCertificate.fingerprint)
        #expect(link.server.state == .failed(expected))
        #expect(link.serverEvents == [.failed(expected)])
        #expect(expected.description.contains(announced.sdpValue))
        #expect(expected.description.contains(clientCertificate.fingerprint.sdpValue))
        // The client hears the server's alert.
        guard case .failed(.handshakeFailed(let errors)) = link.client.state else {
            Issue.record("client state \(link.client.state)")
            return
        }
        #expect(errors.joined().contains("alert"))
        #expect(link.clientKeys == nil)
    }

    @Test func clientRefusesAServerWhoseCertificateMismatchesTheFingerprint() throws {
        let announced = try DTLSCertificate(commonName: "announced").fingerprint
        let (link, _, serverCertificate) = try Self.makeLink(clientExpects: announced)
        link.runHandshake()

        #expect(
            link.client.state
                == .failed(.fingerprintMismatch(expected: announced, actual: serverCertificate.fingerprint)))
        #expect(link.clientKeys == nil)
        #expect(link.serverKeys == nil)
        #expect(link.server.state != .connected)
    }

    @Test func noCommonSRTPProfileFailsBothSides() throws {
        let (link, _, _) = try Self.makeLink(
            clientConfiguration: Self.configuration([.aeadAes128Gcm]),
            serverConfiguration: Self.configuration([.aes128CmHmacSha1_80]))
        link.runHandshake()
        #expect(link.client.state == .failed(.srtpNotNegotiated(offered: [.aeadAes128Gcm])))
        #expect(link.server.state == .failed(.srtpNotNegotiated(offered: [.aes128CmHmacSha1_80])))
    }

    @Test func closeNotifyClosesThePeer() throws {
        let (link, _, _) = try Self.makeLink()
        link.runHandshake()
        let closing = link.client.close()
        #expect(closing.count == 1)
        link.route(closing, from: .client)
        link.run(until: { link.server.state == .closed })
        #expect(link.client.state == .closed)
        #expect(link.server.state == .closed)
        #expect(link.serverEvents.last == .closed)
        #expect(link.client.handle(datagram: [21, 0xFE, 0xFD], at: .now) == [])
    }

    @Test func roleFollowsTheLocalSetupAttribute() {
        #expect(DTLSRole(localSetup: "active") == .client)
        #expect(DTLSRole(localSetup: "passive") == .server)
        #expect(DTLSRole(localSetup: "actpass") == nil)
        #expect(DTLSRole(localSetup: "holdconn") == nil)
    }

    /// Random bytes, and random bytes behind a well-formed DTLS record header, at every stage.
    @Test func garbageDatagramsNeverCrash() throws {
        var generator = SeededGenerator(seed: 42)
        func garbage() -> [UInt8] {
            let length = Int.random(in: 0...300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 13, Bool.random(using: &generator) {
                // content type 20...23, DTLS 1.2 (FE FD), epoch 0 or 1, then a consistent length
                bytes[0] = UInt8.random(in: 20...23, using: &generator)
                bytes[1] = 0xFE
                bytes[2] = 0xFD
                bytes[3] = 0
                bytes[4] = UInt8.random(in: 0...1, using: &generator)
                bytes[11] = UInt8((bytes.count - 13) >> 8)
                bytes[12] = UInt8((bytes.count - 13) & 0xFF)
            }
            return bytes
        }

        // Into a waiting server, and into both sides of a connected pair.
        let (fresh, _, _) = try Self.makeLink()
        for _ in 0..<300 { _ = fresh.server.handle(datagram: garbage(), at: .now) }

        let (link, _, _) = try Self.makeLink()
        link.runHandshake()
        for _ in 0..<300 {
            _ = link.client.handle(datagram: garbage(), at: .now)
            _ = link.server.handle(datagram: garbage(), at: .now)
        }
        // Records that fail to decrypt are dropped: the association survives and still closes.
        #expect(link.client.state == .connected)
        #expect(link.server.state == .connected)
        link.route(link.client.close(), from: .client)
        link.run(until: { link.server.state == .closed })
        #expect(link.serverEvents.last == .closed)

        // A mid-handshake client.
        let (midway, _, _) = try Self.makeLink()
        _ = midway.client.start(at: .now)
        for _ in 0..<300 { _ = midway.client.handle(datagram: garbage(), at: .now) }
        #expect(fresh.server.state != .connected)
        #expect(midway.client.state != .connected)
    }
}
