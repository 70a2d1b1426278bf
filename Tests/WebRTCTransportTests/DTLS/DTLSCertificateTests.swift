import COpenSSL
import Foundation
import Testing

@testable import WebRTCTransport

@Suite struct DTLSCertificateTests {
    /// The certificate's DER encoding, as `openssl x509 -inform DER` reads it.
    static func der(_ certificate: DTLSCertificate) -> [UInt8] {
        let length = i2d_X509(certificate.x509, nil)
        var bytes = [UInt8](repeating: 0, count: Int(max(length, 0)))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(certificate.x509, &cursor)
        }
        return bytes
    }

    @Test func openSSLReadsASelfSignedP256CertificateWithTheSameFingerprint() throws {
        let certificate = try DTLSCertificate(commonName: "tessera-test")
        let path = NSTemporaryDirectory() + "tessera-cert-\(UUID().uuidString).der"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.der(certificate))))

        let printed = try OpenSSLTool.run(["x509", "-inform", "DER", "-in", path, "-noout", "-fingerprint", "-sha256"])
        let hex = certificate.fingerprint.sdpValue.dropFirst("sha-256 ".count)
        #expect(printed.contains("Fingerprint=\(hex)"), "openssl printed \(printed)")

        let text = try OpenSSLTool.run(["x509", "-inform", "DER", "-in", path, "-noout", "-text"])
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
        #expect(text.contains("Subject: CN = tessera-test"))
        #expect(text.contains("Issuer: CN = tessera-test"))
        #expect(text.contains("Version: 3"))

        // The signature verifies with the certificate's own key.
        let pem = path + ".pem"
        defer { try? FileManager.default.removeItem(atPath: pem) }
        _ = try OpenSSLTool.run(["x509", "-inform", "DER", "-in", path, "-out", pem])
        let verified = try OpenSSLTool.run(["verify", "-CAfile", pem, pem])
        #expect(verified.contains("\(pem): OK"), "openssl verify printed \(verified)")
    }

    @Test func eachCertificateIsNew() throws {
        let first = try DTLSCertificate()
        let second = try DTLSCertificate()
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.fingerprint.hashFunction == .sha256)
        #expect(first.fingerprint.bytes.count == 32)
    }
}
