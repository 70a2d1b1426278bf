import CSRTP

/// libsrtp must be initialised once per process before any session is created.
enum SRTPLibrary {
    /// Swift runs a global's initialiser exactly once, under a lock, so this is the thread-safe
    /// one-time `srtp_init`.
    private static let initStatus: UInt32 = UInt32(srtp_init().rawValue)

    static func ensureInitialised() throws(SRTPError) {
        let status = srtp_err_status_t(rawValue: .init(initStatus))
        guard status == srtp_err_status_ok else {
            throw SRTPError(status: status, operation: .createSession)
        }
    }
}
