import COpenSSL

/// What OpenSSL's callbacks for one endpoint reach through their context pointer: the datagram
/// OpenSSL may read next, the datagrams it wrote, and what peer verification saw.
final class DTLSCallbackContext {
    /// The received datagram OpenSSL has not read yet.
    var inbound: [UInt8]?
    /// Datagrams OpenSSL wrote since they were last taken.
    var outbound: [[UInt8]] = []
    let expectedFingerprint: DTLSFingerprint
    /// The fingerprint of a peer certificate that did not match `expectedFingerprint`.
    var mismatchedFingerprint: DTLSFingerprint?
    let initialRetransmitMicroseconds: UInt32

    init(expectedFingerprint: DTLSFingerprint, initialRetransmitMicroseconds: UInt32) {
        self.expectedFingerprint = expectedFingerprint
        self.initialRetransmitMicroseconds = initialRetransmitMicroseconds
    }

    /// Accepts any certificate, self-signed included, whose hash matches the SDP fingerprint.
    func verifyPeer(_ certificate: OpaquePointer) -> Bool {
        guard
            let actual = try? DTLSFingerprint(
                certificate: certificate, hashFunction: expectedFingerprint.hashFunction)
        else { return false }
        guard actual == expectedFingerprint else {
            mismatchedFingerprint = actual
            return false
        }
        return true
    }

    func takeOutbound() -> [[UInt8]] {
        defer { outbound.removeAll(keepingCapacity: true) }
        return outbound
    }

    static func from(_ pointer: UnsafeMutableRawPointer) -> DTLSCallbackContext {
        Unmanaged<DTLSCallbackContext>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// A BIO that hands OpenSSL one received datagram per read and keeps each write as one
/// datagram: OpenSSL's DTLS writes whole datagrams (during the handshake it buffers records and
/// flushes at most an MTU's worth at a time). A memory BIO would join them into one stream and
/// lose their boundaries.
enum DTLSDatagramBIO {
    /// A new BIO reaching `context`, which must outlive it.
    static func make(context: DTLSCallbackContext) -> OpaquePointer? {
        guard let bio = BIO_new(method.pointer) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(context).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    private static let method = DatagramBIOMethod()
}

/// The BIO method table, created once and never changed afterwards, so every endpoint on every
/// thread may use it.
private final class DatagramBIOMethod: @unchecked Sendable {
    let pointer: OpaquePointer?

    init() {
        pointer = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tessera DTLS datagram")
        BIO_meth_set_write(pointer) { bio, data, length in
            guard let bio, let data, length >= 0, let raw = BIO_get_data(bio) else { return -1 }
            let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
            DTLSCallbackContext.from(raw).outbound.append(Array(bytes))
            return length
        }
        BIO_meth_set_read(pointer) { bio, buffer, capacity in
            guard let bio, let buffer, capacity >= 0, let raw = BIO_get_data(bio) else { return -1 }
            tessera_bio_clear_retry_flags(bio)
            let context = DTLSCallbackContext.from(raw)
            guard let datagram = context.inbound else {
                tessera_bio_set_retry_read(bio)
                return -1
            }
            context.inbound = nil
            // A datagram larger than OpenSSL's buffer is cut, as a datagram socket would cut it.
            let count = min(Int(capacity), datagram.count)
            datagram.withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }
                UnsafeMutableRawPointer(buffer).copyMemory(from: source, byteCount: count)
            }
            return Int32(count)
        }
        BIO_meth_set_ctrl(pointer) { _, command, _, _ in
            // Written datagrams leave at once, so flushing always succeeds and nothing is pending;
            // every other query (MTU, peer address, timeouts) has no answer here.
            command == BIO_CTRL_FLUSH ? 1 : 0
        }
    }
}
