import Testing

@testable import WebRTCTransport

@Suite struct DTLSSRTPKeysTests {
    /// RFC 5764 section 4.2: client key, server key, client salt, server salt.
    @Test func splitsTheExporterOutputInRFC5764Order() throws {
        let material = (0..<60).map(UInt8.init)
        let keys = try #require(DTLSSRTPKeys(profile: .aes128CmHmacSha1_80, keyingMaterial: material))
        #expect(keys.clientWrite.key == Array(0..<16))
        #expect(keys.serverWrite.key == Array(16..<32))
        #expect(keys.clientWrite.salt == Array(32..<46))
        #expect(keys.serverWrite.salt == Array(46..<60))
    }

    @Test func gcmSaltsAreTwelveBytes() throws {
        let material = (0..<56).map(UInt8.init)
        let keys = try #require(DTLSSRTPKeys(profile: .aeadAes128Gcm, keyingMaterial: material))
        #expect(keys.clientWrite.salt == Array(32..<44))
        #expect(keys.serverWrite.salt == Array(44..<56))
    }

    @Test func materialOfTheWrongLengthIsRefused() {
        #expect(DTLSSRTPKeysTests.keys(.aes128CmHmacSha1_80, length: 56) == nil)
        #expect(DTLSSRTPKeysTests.keys(.aeadAes128Gcm, length: 60) == nil)
        #expect(DTLSSRTPKeysTests.keys(.aeadAes128Gcm, length: 0) == nil)
        #expect(DTLSSRTPKeys.exportLength(for: .aes128CmHmacSha1_80) == 60)
        #expect(DTLSSRTPKeys.exportLength(for: .aeadAes128Gcm) == 56)
    }

    static func keys(_ profile: SRTPProtectionProfile, length: Int) -> DTLSSRTPKeys? {
        DTLSSRTPKeys(profile: profile, keyingMaterial: [UInt8](repeating: 7, count: length))
    }
}
