import Crypto
import Foundation
import NIOSSH

/// An SSH private key read from the text of a key file: OpenSSH's own format
/// (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted, ed25519 or ECDSA P-256) or a PEM
/// P-256 key (`BEGIN EC PRIVATE KEY` / `BEGIN PRIVATE KEY`). Errors never quote key material.
enum OpenSSHPrivateKey {
    struct Failure: Error, Hashable, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws(Failure) -> NIOSSHPrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
        let end = "-----END OPENSSH PRIVATE KEY-----"
        guard trimmed.hasPrefix(begin) else {
            if trimmed.contains("PRIVATE KEY-----"),
                let key = try? P256.Signing.PrivateKey(pemRepresentation: trimmed)
            {
                return NIOSSHPrivateKey(p256Key: key)
            }
            throw Failure(
                description: "private key is neither an OpenSSH key file nor a PEM P-256 key")
        }
        let afterBegin = trimmed.index(trimmed.startIndex, offsetBy: begin.count)
        guard let endRange = trimmed.range(of: end, range: afterBegin..<trimmed.endIndex) else {
            throw Failure(description: "private key has no \(end) line")
        }
        let body = trimmed[afterBegin..<endRange.lowerBound].filter { !$0.isWhitespace }
        guard let decoded = Data(base64Encoded: String(body)) else {
            throw Failure(description: "private key body is not base64")
        }
        do {
            return try parse(binary: Array(decoded))
        } catch let truncated as SSHWireReader.Truncated {
            throw Failure(description: "private key \(truncated)")
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "private key rejected by the crypto library")
        }
    }

    /*
     The binary form (OpenSSH PROTOCOL.key), all fields in the SSH wire encoding:

        byte[15] "openssh-key-v1\0"
        string   ciphername        "none" for an unencrypted key
        string   kdfname           "none"
        string   kdfoptions        empty
        uint32   number of keys    1
        string   public key        (SSH public key blob)
        string   private section:
            uint32  checkint       } equal when the key was decrypted correctly
            uint32  checkint       }
            string  key type       "ssh-ed25519" | "ecdsa-sha2-nistp256"
            ...     key fields:
                ed25519: string public (32), string private (64 = seed 32 + public 32)
                P-256:   string curve "nistp256", string Q (65), mpint d
            string  comment
            byte[]  padding 1, 2, 3, ...
    */
    static func parse(binary: [UInt8]) throws -> NIOSSHPrivateKey {
        var reader = SSHWireReader(binary)
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard try reader.take(magic.count, "magic") == magic else {
            throw Failure(description: "private key does not start with openssh-key-v1")
        }
        let cipher = try reader.text("ciphername")
        let kdf = try reader.text("kdfname")
        _ = try reader.string("kdfoptions")
        guard cipher == "none", kdf == "none" else {
            throw Failure(
                description:
                    "private key is encrypted (cipher \(cipher), kdf \(kdf)); give an unencrypted key")
        }
        let count = try reader.uint32("number of keys")
        guard count == 1 else {
            throw Failure(description: "private key file holds \(count) keys, expected 1")
        }
        _ = try reader.string("public key")
        var section = SSHWireReader(try reader.string("private section"))
        let check = try section.uint32("checkint")
        guard try section.uint32("checkint") == check else {
            throw Failure(description: "private key check integers differ")
        }
        let type = try section.text("key type")
        switch type {
        case "ssh-ed25519":
            let publicKey = try section.string("ed25519 public key")
            let privateKey = try section.string("ed25519 private key")
            guard publicKey.count == 32, privateKey.count == 64 else {
                throw Failure(
                    description:
                        "ed25519 key has \(publicKey.count)/\(privateKey.count) bytes, expected 32/64"
                )
            }
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKey.prefix(32))
            guard Array(key.publicKey.rawRepresentation) == publicKey else {
                throw Failure(description: "ed25519 private key does not match its public key")
            }
            return NIOSSHPrivateKey(ed25519Key: key)
        case "ecdsa-sha2-nistp256":
            let curve = try section.text("ecdsa curve")
            _ = try section.string("ecdsa public point")
            var scalar = try section.string("ecdsa private scalar")
            guard curve == "nistp256" else {
                throw Failure(description: "ecdsa curve \(curve) is not supported, only nistp256")
            }
            // An mpint carries a leading zero when the top bit is set; a short one is padded.
            while scalar.count > 32, scalar.first == 0 { scalar.removeFirst() }
            guard scalar.count <= 32 else {
                throw Failure(description: "ecdsa private scalar has \(scalar.count) bytes")
            }
            scalar.insert(contentsOf: [UInt8](repeating: 0, count: 32 - scalar.count), at: 0)
            return NIOSSHPrivateKey(p256Key: try P256.Signing.PrivateKey(rawRepresentation: scalar))
        default:
            throw Failure(
                description: "private key type \(type) is not supported (ssh-ed25519, ecdsa-sha2-nistp256)")
        }
    }
}
