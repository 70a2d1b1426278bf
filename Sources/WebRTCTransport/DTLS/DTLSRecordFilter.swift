// RFC 6347 section 4.1: every DTLS record in a datagram starts with a 13-byte header.
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  content type |        version (FE FD)        |     epoch     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     epoch     |             sequence number (48 bits)         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                sequence number                |     length    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     length    |  fragment (length bytes) ...
//  +-+-+-+-+-+-+-+-+

/// Drops records that cannot be genuine before OpenSSL sees them: RFC 6347 section 4.1.2.7
/// wants invalid records silently discarded, but OpenSSL 3.0 answers some with a fatal alert
/// (an encrypted record too short for its AEAD nonce and tag, application data in epoch 0),
/// so one forged datagram could end the association.
enum DTLSRecordFilter {
    static let headerLength = 13
    /// The smallest protected record of the AES-GCM suites the endpoint allows: an 8-byte
    /// explicit nonce and a 16-byte tag (RFC 5288 section 3).
    static let minimumProtectedLength = 24
    /// Content types (RFC 5246 section 6.2.1): change_cipher_spec 20, alert 21, handshake 22,
    /// application_data 23.
    static let changeCipherSpec: UInt8 = 20
    static let applicationData: UInt8 = 23

    /// The datagram with only plausible records; `nil` when none is left.
    static func filter(_ datagram: [UInt8]) -> [UInt8]? {
        var kept: [UInt8] = []
        kept.reserveCapacity(datagram.count)
        var offset = 0
        // A trailing partial record ends the loop and is dropped.
        while datagram.count - offset >= headerLength {
            let epoch = UInt16(datagram[offset + 3]) << 8 | UInt16(datagram[offset + 4])
            let length = Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12])
            let end = offset + headerLength + length
            guard end <= datagram.count else { break }
            let contentType = datagram[offset]
            let known = (changeCipherSpec...applicationData).contains(contentType)
            let protectedEnough = epoch != 0 && length >= minimumProtectedLength
            let plaintextAllowed = epoch == 0 && contentType != applicationData
            if known && (protectedEnough || plaintextAllowed) {
                kept.append(contentsOf: datagram[offset..<end])
            }
            offset = end
        }
        return kept.isEmpty ? nil : kept
    }
}
