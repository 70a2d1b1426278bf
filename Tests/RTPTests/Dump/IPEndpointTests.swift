import Testing
@testable import RTP

@Suite("IP addresses and endpoints")
struct IPEndpointTests {
    func v6(_ groups: [UInt16]) -> IPAddress {
        IPAddress(bytes: groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })!
    }

    @Test func ipv4Text() {
        #expect(IPAddress(bytes: [127, 0, 0, 1] as [UInt8])?.description == "127.0.0.1")
        #expect(IPAddress(bytes: [255, 254, 0, 10] as [UInt8]) == .v4(0xFFFE_000A))
        #expect(IPEndpoint(address: .v4(0xC000_0201), port: 5004).description == "192.0.2.1:5004")
    }

    @Test func ipv6TextFollowsRFC5952() {
        #expect(v6([0, 0, 0, 0, 0, 0, 0, 1]).description == "::1")
        #expect(v6([0, 0, 0, 0, 0, 0, 0, 0]).description == "::")
        #expect(v6([0x2001, 0xDB8, 0, 0, 0, 0, 0, 1]).description == "2001:db8::1")
        // The longest zero run is compressed; the first one wins a tie; a single zero stays.
        #expect(v6([1, 0, 0, 2, 0, 0, 0, 3]).description == "1:0:0:2::3")
        #expect(v6([1, 0, 0, 2, 0, 0, 3, 4]).description == "1::2:0:0:3:4")
        #expect(v6([0x2001, 0xDB8, 0, 1, 1, 1, 1, 1]).description == "2001:db8:0:1:1:1:1:1")
        #expect(v6([0xFE80, 0, 0, 0, 0, 0, 0, 0]).description == "fe80::")
        #expect(IPEndpoint(address: v6([0, 0, 0, 0, 0, 0, 0, 1]), port: 9).description == "[::1]:9")
    }

    @Test func otherLengthsAreNotAddresses() {
        #expect(IPAddress(bytes: [1, 2, 3] as [UInt8]) == nil)
        #expect(IPAddress(bytes: [UInt8](repeating: 0, count: 15)) == nil)
    }
}
