import Foundation
import SDP

/// The SDP files under Fixtures/: real descriptions from Janus 1.1.2, aiortc 1.16 and a
/// Chrome-style simulcast offer.
enum Fixture {
    static let janusOfferVP8 = "janus-subscriber-offer-vp8"
    static let janusOfferH264 = "janus-subscriber-offer-h264"
    static let janusOfferInactive = "janus-subscriber-offer-inactive"
    static let janusPublisherAnswer = "janus-publisher-answer-vp8"
    static let aiortcAnswerVP8 = "aiortc-subscriber-answer-vp8"
    static let aiortcAnswerH264 = "aiortc-subscriber-answer-h264"
    static let aiortcAnswerInactive = "aiortc-subscriber-answer-inactive"
    static let aiortcPublisherOffer = "aiortc-publisher-offer-vp8"
    static let aiortcOfferWithDataChannel = "aiortc-offer-datachannel"
    static let chromeOfferSimulcast = "chrome-offer-simulcast"

    static let all = [
        janusOfferVP8, janusOfferH264, janusOfferInactive, janusPublisherAnswer, aiortcAnswerVP8,
        aiortcAnswerH264, aiortcAnswerInactive, aiortcPublisherOffer, aiortcOfferWithDataChannel,
        chromeOfferSimulcast,
    ]

    /// The fixture as stored (the Janus transcript's ICE credentials and fingerprints are
    /// sanitized placeholders such as `<fingerprint>`).
    static func text(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name + ".sdp")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The fixture with the placeholders replaced by values of the real shape.
    static func desanitizedText(_ name: String) throws -> String {
        try text(name)
            .replacingOccurrences(of: "<fingerprint>", with: sampleFingerprint.hexString)
            .replacingOccurrences(of: "<ufrag>", with: "Jn5u")
            .replacingOccurrences(of: "<pwd>", with: "Q2xpZW50UGFzc3dvcmQxMjM0")
    }

    static func parsed(_ name: String) throws -> SessionDescription {
        try SessionDescription(parsing: desanitizedText(name))
    }

    /// sha-256 of nothing in particular: bytes 0xA0...0xBF.
    static let sampleFingerprint = Fingerprint(hashFunction: "sha-256", bytes: (0..<32).map { 0xA0 + UInt8($0) })
}
