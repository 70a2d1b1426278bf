import COpenSSL

/// A fresh ECDSA P-256 key and a self-signed X.509 certificate for it, made at start; WebRTC
/// peers authenticate it by the fingerprint in SDP, not by a chain.
///
/// Immutable after creation; OpenSSL reference-counts the key and certificate atomically, so
/// one certificate can serve many endpoints on many threads.
public final class DTLSCertificate: @unchecked Sendable {
    let privateKey: OpaquePointer
    let x509: OpaquePointer
    /// The SHA-256 fingerprint to announce in `a=fingerprint`.
    public let fingerprint: DTLSFingerprint

    /// Generates a key and a certificate valid from a day ago (clock skew) for `validityDays`.
    public init(commonName: String = "tessera", validityDays: Int = 30) throws(DTLSError) {
        ERR_clear_error()
        let key = try Self.generateKey()
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw .openSSLCall("X509_new", errors: OpenSSLErrorQueue.drain())
        }
        do {
            try Self.fill(x509, key: key, commonName: commonName, validityDays: validityDays)
            fingerprint = try DTLSFingerprint(certificate: x509, hashFunction: .sha256)
        } catch {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw error
        }
        privateKey = key
        self.x509 = x509
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    private static func generateKey() throws(DTLSError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else {
            throw .openSSLCall("EVP_PKEY_CTX_new_id", errors: OpenSSLErrorQueue.drain())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
            EVP_PKEY_keygen(context, &key) == 1, let key
        else {
            throw .openSSLCall("EVP_PKEY_keygen (P-256)", errors: OpenSSLErrorQueue.drain())
        }
        return key
    }

    private static func fill(
        _ x509: OpaquePointer, key: OpaquePointer, commonName: String, validityDays: Int
    ) throws(DTLSError) {
        let secondsPerDay = 86_400
        // A random positive serial: peers may cache certificates by issuer and serial.
        let serial = Int.random(in: 1...Int(Int32.max))
        guard X509_set_version(x509, 2) == 1,  // X.509 v3
            ASN1_INTEGER_set(X509_get_serialNumber(x509), serial) == 1,
            X509_gmtime_adj(X509_getm_notBefore(x509), -secondsPerDay) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), validityDays * secondsPerDay) != nil,
            X509_set_pubkey(x509, key) == 1
        else {
            throw .openSSLCall("X509_set_* (certificate fields)", errors: OpenSSLErrorQueue.drain())
        }
        guard let name = X509_get_subject_name(x509),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
            X509_set_issuer_name(x509, name) == 1
        else {
            throw .openSSLCall("X509_NAME_add_entry_by_txt (CN)", errors: OpenSSLErrorQueue.drain())
        }
        guard X509_sign(x509, key, EVP_sha256()) > 0 else {
            throw .openSSLCall("X509_sign", errors: OpenSSLErrorQueue.drain())
        }
    }
}
