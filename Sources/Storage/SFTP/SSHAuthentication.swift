import Crypto
import Foundation
import Logging
import NIOCore
import NIOSSH
import Synchronization

/// How the client proves who it is. The secrets stay in memory only.
enum SFTPCredential: Sendable {
    case password(String)
    case privateKey(NIOSSHPrivateKey)
}

/// Offers the one configured credential once. When the server asks again (it turned the
/// credential down) or does not accept that kind of credential at all, the handshake is ended
/// and the attempt counts as rejected.
final class SSHClientAuthentication: NIOSSHClientUserAuthenticationDelegate, Sendable {
    private struct Rejected: Error {}
    private enum State { case notOffered, offered, rejected }

    private let username: String
    private let credential: SFTPCredential
    private let state = Mutex(State.notOffered)

    init(username: String, credential: SFTPCredential) {
        self.username = username
        self.credential = credential
    }

    var rejected: Bool { state.withLock { $0 == .rejected } }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        let offer: NIOSSHUserAuthenticationOffer.Offer?
        switch credential {
        case .password(let password) where availableMethods.contains(.password):
            offer = .password(.init(password: password))
        case .privateKey(let key) where availableMethods.contains(.publicKey):
            offer = .privateKey(.init(privateKey: key))
        default:
            offer = nil
        }
        let firstOffer = state.withLock { state in
            guard state == .notOffered, offer != nil else {
                state = .rejected
                return false
            }
            state = .offered
            return true
        }
        guard firstOffer, let offer else {
            nextChallengePromise.fail(Rejected())
            return
        }
        nextChallengePromise.succeed(
            NIOSSHUserAuthenticationOffer(username: username, serviceName: "", offer: offer))
    }
}

/// Accepts the server's host key if it has the expected fingerprint, or, with none configured,
/// accepts any key and logs its fingerprint (so it can be pinned).
final class SSHHostKeyCheck: NIOSSHClientServerAuthenticationDelegate, Sendable {
    private let expected: String?
    private let host: String
    private let logger: Logger
    private let failure = Mutex<SFTPFailure?>(nil)

    init(expected: String?, host: String, logger: Logger) {
        self.expected = expected
        self.host = host
        self.logger = logger
    }

    var mismatch: SFTPFailure? { failure.withLock { $0 } }

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        let presented = Self.fingerprint(hostKey)
        guard let expected else {
            logger.notice(
                "accepting unpinned SSH host key",
                metadata: ["host": "\(host)", "fingerprint": "\(presented)"])
            validationCompletePromise.succeed(())
            return
        }
        let normalized = expected.hasPrefix("SHA256:") ? expected : "SHA256:\(expected)"
        guard normalized.trimmingCharacters(in: CharacterSet(charactersIn: "=")) == presented else {
            let mismatch = SFTPFailure.hostKeyMismatch(expected: normalized, presented: presented)
            failure.withLock { $0 = mismatch }
            validationCompletePromise.fail(mismatch)
            return
        }
        validationCompletePromise.succeed(())
    }

    /// `SHA256:` + unpadded base64 of the SHA-256 of the key blob, as `ssh-keygen -l` prints it.
    static func fingerprint(_ key: NIOSSHPublicKey) -> String {
        let fields = String(openSSHPublicKey: key).split(separator: " ")
        let blob = fields.count > 1 ? Data(base64Encoded: String(fields[1])) ?? Data() : Data()
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.trimmingCharacters(in: CharacterSet(charactersIn: "="))
    }
}
