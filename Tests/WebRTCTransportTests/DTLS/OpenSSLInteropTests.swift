import Foundation
import Testing

@testable import WebRTCTransport

/// The endpoint against Debian's `openssl s_server` / `s_client` over real UDP on 127.0.0.1:
/// DTLS 1.2 with `use_srtp`, both roles, and the exported keying material compared with what
/// OpenSSL's tool prints.
@Suite(.serialized) struct OpenSSLInteropTests {
    /// Passes datagrams between `endpoint` and the socket, and ticks its timer, until it leaves
    /// the handshake or the time limit passes. A server learns its peer's port from the first
    /// datagram. Returns the endpoint's outputs other than `.send`.
    static func drive(
        _ endpoint: DTLSEndpoint, over socket: UDPLoopbackSocket, peerPort: UInt16?, timeLimit: Duration = .seconds(10)
    ) -> (events: [DTLSOutput], peerPort: UInt16?) {
        var peer = peerPort
        var events: [DTLSOutput] = []
        func dispatch(_ outputs: [DTLSOutput]) {
            for output in outputs {
                guard case .send(let datagram) = output else {
                    events.append(output)
                    continue
                }
                if let peer { socket.send(datagram, to: peer) }
            }
        }
        dispatch(endpoint.start(at: .now))
        let end = ContinuousClock.now + timeLimit
        while endpoint.state == .handshaking, ContinuousClock.now < end {
            var wait = Duration.milliseconds(50)
            if let deadline = endpoint.retransmitDeadline { wait = max(.zero, min(wait, deadline - .now)) }
            if let (datagram, port) = socket.receive(timeout: wait) {
                if peer == nil { peer = port }
                dispatch(endpoint.handle(datagram: datagram, at: .now))
            }
            dispatch(endpoint.tick(at: .now))
        }
        return (events, peer)
    }

    /// The hex after "Keying material: " in the tool's output.
    static func printedKeyingMaterial(_ output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Keying material: ") }),
            let hex = line.split(separator: " ").last
        else { return nil }
        return SRTPSessionTests.bytes(String(hex))
    }

    /// RFC 5764 section 4.2 order, rebuilt from the split keys.
    static func keyingMaterial(_ keys: DTLSSRTPKeys) -> [UInt8] {
        keys.clientWrite.key + keys.serverWrite.key + keys.clientWrite.salt + keys.serverWrite.salt
    }

    static func keys(in events: [DTLSOutput]) -> DTLSSRTPKeys? {
        for case .connected(let keys) in events { return keys }
        return nil
    }

    @Test func clientAgainstOpenSSLServer() throws {
        let peer = try OpenSSLTool.makeCertificate(commonName: "openssl-server")
        defer { try? FileManager.default.removeItem(atPath: peer.directory) }
        let port = try UDPLoopbackSocket.freePort()
        let server = try OpenSSLTool([
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:\(port)", "-cert", peer.certificate, "-key", peer.key,
            "-use_srtp", "SRTP_AES128_CM_SHA1_80", "-keymatexport", DTLSSRTPKeys.exporterLabel,
            "-keymatexportlen", "60", "-verify", "1", "-naccept", "1",
        ])
        defer { server.stop() }
        #expect(server.waitForOutput(containing: "ACCEPT"))

        let certificate = try DTLSCertificate()
        let endpoint = try DTLSEndpoint(
            role: .client, certificate: certificate, remoteFingerprint: try DTLSFingerprint(sdpValue: peer.fingerprint))
        let socket = try UDPLoopbackSocket()
        let (events, _) = Self.drive(endpoint, over: socket, peerPort: port)

        #expect(endpoint.state == .connected, "events \(events); openssl printed \(server.output)")
        let keys = try #require(Self.keys(in: events))
        // Our offer prefers GCM; the OpenSSL server only accepts AES-CM.
        #expect(keys.profile == .aes128CmHmacSha1_80)
        #expect(server.waitForOutput(containing: "Keying material: "))
        #expect(server.output.contains("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"))
        #expect(Self.printedKeyingMaterial(server.output) == Self.keyingMaterial(keys))
        // The server saw our certificate (self-signed, which its chain check reports).
        #expect(server.output.contains("CN = tessera"))

        for case .send(let datagram) in endpoint.close() { socket.send(datagram, to: port) }
        #expect(server.waitForOutput(containing: "DONE"), "openssl printed \(server.output)")
    }

    @Test func serverAgainstOpenSSLClient() throws {
        let peer = try OpenSSLTool.makeCertificate(commonName: "openssl-client")
        defer { try? FileManager.default.removeItem(atPath: peer.directory) }
        let certificate = try DTLSCertificate()
        let endpoint = try DTLSEndpoint(
            role: .server, certificate: certificate, remoteFingerprint: try DTLSFingerprint(sdpValue: peer.fingerprint))
        let socket = try UDPLoopbackSocket()
        let client = try OpenSSLTool([
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)", "-cert", peer.certificate, "-key", peer.key,
            "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", "-keymatexport", DTLSSRTPKeys.exporterLabel,
            "-keymatexportlen", "56",
        ])
        defer { client.stop() }
        let (events, peerPort) = Self.drive(endpoint, over: socket, peerPort: nil)

        #expect(endpoint.state == .connected, "events \(events); openssl printed \(client.output)")
        let keys = try #require(Self.keys(in: events))
        // The server's preference (GCM first) decides over the client's order.
        #expect(keys.profile == .aeadAes128Gcm)
        #expect(client.waitForOutput(containing: "Keying material: "))
        #expect(client.output.contains("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"))
        #expect(Self.printedKeyingMaterial(client.output) == Self.keyingMaterial(keys))
        #expect(client.output.contains("subject=CN = tessera"))

        let port = try #require(peerPort)
        for case .send(let datagram) in endpoint.close() { socket.send(datagram, to: port) }
        // s_client reports the close_notify it read as "closed".
        #expect(client.waitForOutput(containing: "---\nclosed"), "openssl printed \(client.output)")
    }

    @Test func serverRefusesAnOpenSSLClientWithAnotherCertificate() throws {
        let announced = try OpenSSLTool.makeCertificate(commonName: "announced")
        let presented = try OpenSSLTool.makeCertificate(commonName: "presented")
        defer {
            try? FileManager.default.removeItem(atPath: announced.directory)
            try? FileManager.default.removeItem(atPath: presented.directory)
        }
        let expected = try DTLSFingerprint(sdpValue: announced.fingerprint)
        let endpoint = try DTLSEndpoint(role: .server, certificate: try DTLSCertificate(), remoteFingerprint: expected)
        let socket = try UDPLoopbackSocket()
        let client = try OpenSSLTool([
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)", "-cert", presented.certificate,
            "-key", presented.key, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
        ])
        defer { client.stop() }
        let (events, _) = Self.drive(endpoint, over: socket, peerPort: nil)

        let actual = try DTLSFingerprint(sdpValue: presented.fingerprint)
        #expect(endpoint.state == .failed(.fingerprintMismatch(expected: expected, actual: actual)))
        #expect(events == [.failed(.fingerprintMismatch(expected: expected, actual: actual))])
        #expect(client.waitForOutput(containing: "alert bad certificate"), "openssl printed \(client.output)")
    }
}
