import COpenSSL

/// One DTLS 1.2 association for DTLS-SRTP (RFC 5764), without I/O: the owner feeds received
/// datagrams to `handle(datagram:at:)`, calls `tick(at:)` when `retransmitDeadline` passes, and
/// sends the datagrams the outputs name. The peer is authenticated by the fingerprint its SDP
/// announced; the result is the negotiated SRTP profile and keys.
///
/// Not thread-safe: the OpenSSL objects inside belong to the thread that owns the endpoint.
/// OpenSSL's retransmission timer reads the system clock, so `at:` is the real current time.
public final class DTLSEndpoint {
    public let role: DTLSRole
    public let configuration: DTLSConfiguration
    public private(set) var state: DTLSState = .handshaking
    /// When `tick(at:)` has work to do; `nil` while no flight awaits an answer.
    public private(set) var retransmitDeadline: ContinuousClock.Instant?

    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let callbacks: DTLSCallbackContext
    /// Receives application data, which DTLS-SRTP without data channels does not use.
    private var discardBuffer = [UInt8](repeating: 0, count: 2048)

    /// Retransmission timeouts double up to this (RFC 6347 section 4.2.4.1).
    fileprivate static let maximumRetransmitMicroseconds: UInt32 = 60_000_000
    /// Records handled per received datagram at most; a datagram holds only a few.
    private static let recordsPerDatagramLimit = 32

    public init(
        role: DTLSRole,
        certificate: DTLSCertificate,
        remoteFingerprint: DTLSFingerprint,
        configuration: DTLSConfiguration = DTLSConfiguration()
    ) throws(DTLSError) {
        let initialMicroseconds = configuration.initialRetransmitTimeout / .microseconds(1)
        callbacks = DTLSCallbackContext(
            expectedFingerprint: remoteFingerprint,
            initialRetransmitMicroseconds: UInt32(
                clamping: max(1, Int(initialMicroseconds.rounded()))))
        self.role = role
        self.configuration = configuration
        ERR_clear_error()
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw .openSSLCall("SSL_CTX_new", errors: OpenSSLErrorQueue.drain())
        }
        let ssl: OpaquePointer
        do {
            try Self.configure(context, certificate: certificate, profiles: configuration.srtpProfiles)
            SSL_CTX_set_cert_verify_callback(
                context, verifyPeerCertificate, Unmanaged.passUnretained(callbacks).toOpaque())
            ssl = try Self.makeSSL(context, callbacks: callbacks, role: role, configuration: configuration)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        self.ssl = ssl
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Starts the handshake: a client sends its ClientHello, a server waits for one.
    public func start(at now: ContinuousClock.Instant) -> [DTLSOutput] {
        guard state == .handshaking else { return [] }
        return advanceHandshake(at: now)
    }

    /// Feeds one received datagram (DTLS records, first byte 20...63 by RFC 7983).
    public func handle(datagram: [UInt8], at now: ContinuousClock.Instant) -> [DTLSOutput] {
        guard let records = DTLSRecordFilter.filter(datagram) else { return [] }
        callbacks.inbound = records
        defer { callbacks.inbound = nil }
        switch state {
        case .handshaking: return advanceHandshake(at: now)
        case .connected: return readRecords(at: now)
        case .closed, .failed: return []
        }
    }

    /// Retransmits the last flight when its timer expired.
    public func tick(at now: ContinuousClock.Instant) -> [DTLSOutput] {
        guard let deadline = retransmitDeadline, now >= deadline else { return [] }
        guard state == .handshaking || state == .connected else {
            retransmitDeadline = nil
            return []
        }
        ERR_clear_error()
        let result = tessera_dtls_handle_timeout(ssl)
        var outputs = takeDatagrams()
        if result < 0 {
            _ = OpenSSLErrorQueue.drain()
            outputs.append(fail(.handshakeTimedOut))
        }
        updateDeadline(at: now)
        return outputs
    }

    /// Closes the association, sending close_notify when it was established.
    public func close() -> [DTLSOutput] {
        defer { retransmitDeadline = nil }
        switch state {
        case .connected:
            ERR_clear_error()
            SSL_shutdown(ssl)
            _ = OpenSSLErrorQueue.drain()
            state = .closed
            return takeDatagrams()
        case .handshaking:
            state = .closed
            return []
        case .closed, .failed:
            return []
        }
    }

    private func advanceHandshake(at now: ContinuousClock.Instant) -> [DTLSOutput] {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        var outputs = takeDatagrams()
        if result == 1 {
            outputs.append(finishHandshake())
        } else {
            let code = SSL_get_error(ssl, result)
            if code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE {
                outputs.append(fail(handshakeError()))
            }
        }
        updateDeadline(at: now)
        return outputs
    }

    private func handshakeError() -> DTLSError {
        let errors = OpenSSLErrorQueue.drain()
        if let actual = callbacks.mismatchedFingerprint {
            return .fingerprintMismatch(expected: callbacks.expectedFingerprint, actual: actual)
        }
        return .handshakeFailed(errors: errors)
    }

    private func finishHandshake() -> DTLSOutput {
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let profile = SRTPProtectionProfile(rawValue: UInt16(truncatingIfNeeded: selected.pointee.id)),
            configuration.srtpProfiles.contains(profile)
        else {
            return fail(.srtpNotNegotiated(offered: configuration.srtpProfiles))
        }
        var material = [UInt8](repeating: 0, count: DTLSSRTPKeys.exportLength(for: profile))
        let label = DTLSSRTPKeys.exporterLabel
        let exported = SSL_export_keying_material(
            ssl, &material, material.count, label, label.utf8.count, nil, 0, 0)
        guard exported == 1, let keys = DTLSSRTPKeys(profile: profile, keyingMaterial: material) else {
            return fail(.openSSLCall("SSL_export_keying_material", errors: OpenSSLErrorQueue.drain()))
        }
        state = .connected
        return .connected(keys)
    }

    /// After the handshake: alerts (close_notify), a peer's retransmitted final flight (answered
    /// by OpenSSL with ours) and application data, which is dropped.
    private func readRecords(at now: ContinuousClock.Instant) -> [DTLSOutput] {
        ERR_clear_error()
        for _ in 0..<Self.recordsPerDatagramLimit {
            let count = discardBuffer.withUnsafeMutableBytes { buffer in
                SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
            }
            if count > 0 { continue }
            let code = SSL_get_error(ssl, count)
            if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { break }
            if code == SSL_ERROR_ZERO_RETURN {
                SSL_shutdown(ssl)
                _ = OpenSSLErrorQueue.drain()
                state = .closed
                retransmitDeadline = nil
                return takeDatagrams() + [.closed]
            }
            return takeDatagrams() + [fail(.connectionFailed(errors: OpenSSLErrorQueue.drain()))]
        }
        updateDeadline(at: now)
        return takeDatagrams()
    }

    private func fail(_ error: DTLSError) -> DTLSOutput {
        state = .failed(error)
        retransmitDeadline = nil
        return .failed(error)
    }

    private func takeDatagrams() -> [DTLSOutput] {
        callbacks.takeOutbound().map(DTLSOutput.send)
    }

    private func updateDeadline(at now: ContinuousClock.Instant) {
        guard state == .handshaking || state == .connected else {
            retransmitDeadline = nil
            return
        }
        let microseconds = tessera_dtls_timeout_us(ssl)
        retransmitDeadline = microseconds < 0 ? nil : now.advanced(by: .microseconds(microseconds))
    }

    private static let webRTCCipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"

    private static func configure(
        _ context: OpaquePointer, certificate: DTLSCertificate, profiles: [SRTPProtectionProfile]
    ) throws(DTLSError) {
        guard tessera_ssl_ctx_set_dtls12_only(context) == 1 else {
            throw .openSSLCall("SSL_CTX_set_min/max_proto_version (DTLS 1.2)", errors: OpenSSLErrorQueue.drain())
        }
        guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
            SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
            SSL_CTX_check_private_key(context) == 1
        else {
            throw .openSSLCall("SSL_CTX_use_certificate/PrivateKey", errors: OpenSSLErrorQueue.drain())
        }
        // The AES-GCM suites browsers negotiate; `DTLSRecordFilter` relies on their overhead.
        guard SSL_CTX_set_cipher_list(context, webRTCCipherSuites) == 1 else {
            throw .openSSLCall("SSL_CTX_set_cipher_list(\(webRTCCipherSuites))", errors: OpenSSLErrorQueue.drain())
        }
        // Returns 0 on success, unlike most OpenSSL calls.
        let profileList = profiles.map(\.openSSLName).joined(separator: ":")
        guard !profiles.isEmpty, SSL_CTX_set_tlsext_use_srtp(context, profileList) == 0 else {
            throw .openSSLCall("SSL_CTX_set_tlsext_use_srtp(\(profileList))", errors: OpenSSLErrorQueue.drain())
        }
        // Both sides present certificates; a server asks for the client's.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
    }

    private static func makeSSL(
        _ context: OpaquePointer, callbacks: DTLSCallbackContext, role: DTLSRole, configuration: DTLSConfiguration
    ) throws(DTLSError) -> OpaquePointer {
        guard let ssl = SSL_new(context) else {
            throw .openSSLCall("SSL_new", errors: OpenSSLErrorQueue.drain())
        }
        guard let bio = DTLSDatagramBIO.make(context: callbacks) else {
            SSL_free(ssl)
            throw .openSSLCall("BIO_new (datagram BIO)", errors: OpenSSLErrorQueue.drain())
        }
        SSL_set_bio(ssl, bio, bio)
        guard tessera_ssl_set_webrtc_options(ssl, configuration.maximumDatagramSize) != 0 else {
            SSL_free(ssl)
            throw .openSSLCall("SSL_set_mtu(\(configuration.maximumDatagramSize))", errors: OpenSSLErrorQueue.drain())
        }
        // Index 0 is OpenSSL's reserved application-data slot.
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(callbacks).toOpaque())
        DTLS_set_timer_cb(ssl, retransmitTimeout)
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        return ssl
    }
}

/// OpenSSL's certificate check, replaced: no chain, only the SDP fingerprint decides.
private func verifyPeerCertificate(_ store: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let store, let argument, let certificate = X509_STORE_CTX_get0_cert(store) else { return 0 }
    guard DTLSCallbackContext.from(argument).verifyPeer(certificate) else {
        X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
        return 0
    }
    return 1
}

/// The next retransmission timeout: the configured initial one, then doubled up to the maximum.
private func retransmitTimeout(_ ssl: OpaquePointer?, _ previousMicroseconds: UInt32) -> UInt32 {
    guard previousMicroseconds > 0 else {
        // The slot is filled before the handshake can start a timer.
        guard let ssl, let raw = SSL_get_ex_data(ssl, 0) else { return DTLSEndpoint.maximumRetransmitMicroseconds }
        return DTLSCallbackContext.from(raw).initialRetransmitMicroseconds
    }
    let maximum = DTLSEndpoint.maximumRetransmitMicroseconds
    return previousMicroseconds >= maximum / 2 ? maximum : previousMicroseconds * 2
}
