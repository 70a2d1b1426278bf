import Testing

@testable import WebRTCTransport

@Suite struct DTLSRecordFilterTests {
    /// A record header: content type, DTLS 1.2, epoch, sequence number 1, then `fragment`.
    static func record(type: UInt8, epoch: UInt8, fragment: [UInt8]) -> [UInt8] {
        [type, 0xFE, 0xFD, 0x00, epoch, 0, 0, 0, 0, 0, 1, UInt8(fragment.count >> 8), UInt8(fragment.count & 0xFF)]
            + fragment
    }

    @Test func keepsWellFormedRecords() {
        let hello = Self.record(type: 22, epoch: 0, fragment: [1, 0, 0, 0])
        let protected = Self.record(type: 23, epoch: 1, fragment: [UInt8](repeating: 0xAB, count: 24))
        #expect(DTLSRecordFilter.filter(hello + protected) == hello + protected)
    }

    @Test func dropsRecordsOpenSSLWouldAnswerWithAnAlert() {
        let hello = Self.record(type: 22, epoch: 0, fragment: [1, 0, 0, 0])
        let shortProtected = Self.record(type: 21, epoch: 1, fragment: [UInt8](repeating: 0, count: 23))
        let plainApplicationData = Self.record(type: 23, epoch: 0, fragment: [1, 2, 3])
        let unknownType = Self.record(type: 24, epoch: 0, fragment: [1, 2, 3])
        #expect(DTLSRecordFilter.filter(shortProtected + hello + plainApplicationData + unknownType) == hello)
        #expect(DTLSRecordFilter.filter(shortProtected) == nil)
    }

    @Test func dropsTruncatedInput() {
        let hello = Self.record(type: 22, epoch: 0, fragment: [1, 0, 0, 0])
        #expect(DTLSRecordFilter.filter([]) == nil)
        #expect(DTLSRecordFilter.filter(Array(hello.prefix(12))) == nil)
        // A header announcing more bytes than follow.
        #expect(DTLSRecordFilter.filter(Array(hello.dropLast())) == nil)
        #expect(DTLSRecordFilter.filter(hello + hello.prefix(5)) == hello)
        for cut in 0..<hello.count {
            #expect(DTLSRecordFilter.filter(Array(hello.prefix(cut))) == nil)
        }
    }
}
