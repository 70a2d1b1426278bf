import Foundation
import NIOSSH
import Testing

@testable import Storage

/// Keys made with `ssh-keygen -t ed25519` / `-t ecdsa -b 256` (no passphrase) for these tests
/// only; the expected public keys are the `.pub` files ssh-keygen wrote beside them.
@Suite struct OpenSSHPrivateKeyTests {
    static let ed25519 = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACAPs+8p7DnwgvLbk0/RJrHbBtj7VGVRxOCZiVPnLzis2QAAAJAhAzCzIQMw
        swAAAAtzc2gtZWQyNTUxOQAAACAPs+8p7DnwgvLbk0/RJrHbBtj7VGVRxOCZiVPnLzis2Q
        AAAEAOF1A+0RpvB3giTc1mVEv1ia9kmDrAghw+VQgFEVbNhw+z7ynsOfCC8tuTT9EmsdsG
        2PtUZVHE4JmJU+cvOKzZAAAADHRlc3NlcmEtdGVzdAE=
        -----END OPENSSH PRIVATE KEY-----
        """
    static let ed25519Public =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA+z7ynsOfCC8tuTT9EmsdsG2PtUZVHE4JmJU+cvOKzZ"

    /// Its private scalar has the top bit set, so the mpint carries a leading zero byte.
    static let ecdsaP256 = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS
        1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQS1yEBcGm8Mxbf6wwT3wMgrBxd5DpYs
        3ikdh7xI39+NzgEt957ioYWjwe6jfjggrtvVNvqcnAyomyTuP0Q0DjQgAAAAqLzcuX283L
        l9AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLXIQFwabwzFt/rD
        BPfAyCsHF3kOlizeKR2HvEjf343OAS33nuKhhaPB7qN+OCCu29U2+pycDKibJO4/RDQONC
        AAAAAhAPjCbl2h9R6v4IOd2n3l+Mstmg0a9fvo/O9BdDRUIx1MAAAADHRlc3NlcmEtdGVz
        dAECAw==
        -----END OPENSSH PRIVATE KEY-----
        """
    static let ecdsaP256Public =
        "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLXIQFwabwzFt/rDBPfAyCsHF3kOlizeKR2HvEjf343OAS33nuKhhaPB7qN+OCCu29U2+pycDKibJO4/RDQONCA="

    @Test func ed25519KeyGivesItsPublicKey() throws {
        let key = try OpenSSHPrivateKey.parse(Self.ed25519)
        #expect(String(openSSHPublicKey: key.publicKey) == Self.ed25519Public)
    }

    @Test func ecdsaP256KeyGivesItsPublicKey() throws {
        let key = try OpenSSHPrivateKey.parse(Self.ecdsaP256)
        #expect(String(openSSHPublicKey: key.publicKey) == Self.ecdsaP256Public)
    }

    @Test func encryptedKeyIsRefusedByName() throws {
        // The same layout with cipher "aes256-ctr" and kdf "bcrypt".
        var writer = SSHWireWriter()
        writer.text("aes256-ctr")
        writer.text("bcrypt")
        writer.string([UInt8](repeating: 7, count: 24))
        let binary = Array("openssh-key-v1".utf8) + [0] + writer.bytes
        let text = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + Data(binary).base64EncodedString()
            + "\n-----END OPENSSH PRIVATE KEY-----\n"
        #expect {
            try OpenSSHPrivateKey.parse(text)
        } throws: { error in
            "\(error)".contains("encrypted (cipher aes256-ctr, kdf bcrypt)")
        }
    }

    @Test func truncatedAndCorruptedKeysFailWithoutTrapping() throws {
        let body = Self.ed25519.split(separator: "\n").dropFirst().dropLast().joined()
        let binary = try #require(Data(base64Encoded: body).map(Array.init))
        for length in 0..<binary.count {
            #expect(throws: (any Error).self) {
                try OpenSSHPrivateKey.parse(binary: Array(binary.prefix(length)))
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var corrupted = binary
            corrupted[Int.random(in: 0..<corrupted.count, using: &generator)] = UInt8.random(
                in: 0...255, using: &generator)
            _ = try? OpenSSHPrivateKey.parse(binary: corrupted)
        }
    }

    @Test func errorsNeverQuoteTheKey() {
        // The last two lines of the body removed (keeping the base64 whole): the private
        // section is cut short.
        var lines = Self.ed25519.split(separator: "\n").map(String.init)
        lines.removeSubrange(3..<5)
        let damaged = lines.joined(separator: "\n")
        do {
            _ = try OpenSSHPrivateKey.parse(damaged)
            Issue.record("a damaged key was accepted")
        } catch {
            #expect(error.description.contains("truncated"))
            for line in damaged.split(separator: "\n") where line.count > 20 {
                #expect(!error.description.contains(line))
            }
        }
    }
}
