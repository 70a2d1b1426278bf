import CSRTP

/// A failed libsrtp operation, typed so the transport can count authentication failures and
/// replays apart from malformed packets.
public struct SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The authentication tag did not verify: forged, corrupted or wrongly keyed.
        case authenticationFailed
        /// The packet index was already seen or is older than the replay window.
        case replayed
        /// Too short or not an RTP/RTCP packet.
        case malformedPacket
        /// A master key or salt whose length does not fit the profile.
        case invalidMasterKey(profile: SRTPProtectionProfile, keyLength: Int, saltLength: Int)
        /// Any other libsrtp status (`srtp_err_status_t` value).
        case library(status: UInt32)
    }

    public enum Operation: String, Sendable {
        case createSession = "create session"
        case protectRTP = "protect RTP"
        case protectRTCP = "protect RTCP"
        case unprotectRTP = "unprotect SRTP"
        case unprotectRTCP = "unprotect SRTCP"
    }

    public var kind: Kind
    public var operation: Operation
    /// Length of the packet handed in, 0 for `createSession`.
    public var packetLength: Int
    /// The SSRC in the packet's header, when it is long enough to carry one.
    public var ssrc: UInt32?

    public init(kind: Kind, operation: Operation, packetLength: Int, ssrc: UInt32?) {
        self.kind = kind
        self.operation = operation
        self.packetLength = packetLength
        self.ssrc = ssrc
    }

    init(status: srtp_err_status_t, operation: Operation, packetLength: Int = 0, ssrc: UInt32? = nil) {
        let kind: Kind =
            switch status {
            case srtp_err_status_auth_fail: .authenticationFailed
            case srtp_err_status_replay_fail, srtp_err_status_replay_old: .replayed
            case srtp_err_status_bad_param, srtp_err_status_parse_err: .malformedPacket
            default: .library(status: UInt32(status.rawValue))
            }
        self.init(kind: kind, operation: operation, packetLength: packetLength, ssrc: ssrc)
    }

    public var description: String {
        let what: String =
            switch kind {
            case .authenticationFailed: "authentication failed"
            case .replayed: "replayed or too old"
            case .malformedPacket: "malformed packet"
            case .invalidMasterKey(let profile, let keyLength, let saltLength):
                "\(profile) needs a \(profile.keyLength)-byte key and a \(profile.saltLength)-byte salt, "
                    + "got \(keyLength) and \(saltLength)"
            case .library(let status): "libsrtp status \(status)"
            }
        let ssrcText = ssrc.map { ", ssrc \($0)" } ?? ""
        return "SRTP \(operation.rawValue): \(what) (\(packetLength) bytes\(ssrcText))"
    }
}
