import Foundation
import MediaTypes
import Testing
@testable import Compositor

@Suite struct SpeakerLayoutTests {
    static let canvas = PixelSize(width: 1280, height: 720)

    static func roster(_ count: Int, speaker: Int?) -> [RosterEntry] {
        (0..<count).map {
            RosterEntry(id: ParticipantID("p\($0)"), joinedAt: .seconds(Int64($0)), sourceSize: PixelSize(width: 640, height: 360),
                        isSpeaker: $0 == speaker)
        }
    }

    /// The marked speaker large above, the others in join order in a centred strip of 16:9
    /// cells along the bottom fifth.
    @Test func theSpeakerIsLargeAndTheOthersInAStrip() {
        let tiles = Layouts.speaker(Self.roster(4, speaker: 2), Self.canvas, LayoutOptions())
        #expect(tiles.map(\.participant) == ["p2", "p0", "p1", "p3"].map { ParticipantID($0) })
        #expect(tiles[0].cell == PixelRect(x: 0, y: 0, width: 1280, height: 576))
        #expect(tiles[0].picture == PixelRect(x: 128, y: 0, width: 1024, height: 576))
        #expect(tiles.dropFirst().map(\.cell) == [256, 512, 768].map { PixelRect(x: $0, y: 576, width: 256, height: 144) })
        // Nobody marked: the earliest joiner. Alone: the whole canvas.
        #expect(Layouts.speaker(Self.roster(3, speaker: nil), Self.canvas, LayoutOptions()).first?.participant == ParticipantID("p0"))
        #expect(Layouts.speaker(Self.roster(1, speaker: 0), Self.canvas, LayoutOptions()).map(\.cell) == [PixelRect(size: Self.canvas)])
    }

    /// Many others: six in the strip; with gaps, cells are apart and inside the canvas.
    @Test func theStripHoldsSixAndKeepsItsGaps() {
        let tiles = Layouts.speaker(Self.roster(10, speaker: 9), Self.canvas, LayoutOptions(gap: 10))
        #expect(tiles.count == 7 && tiles[0].participant == ParticipantID("p9"))
        let strip = tiles.dropFirst().map(\.cell)
        for (left, right) in zip(strip, strip.dropFirst()) { #expect(right.x - left.maxX == 10) }
        #expect(strip.allSatisfy { $0.x >= 10 && $0.maxX <= 1270 && $0.maxY <= 720 && $0.y >= tiles[0].cell.maxY + 10 })
        #expect(strip.allSatisfy { $0.width & 1 == 0 && $0.height & 1 == 0 && $0.x & 1 == 0 && $0.y & 1 == 0 })
    }

    /// A screen share (a participant's further video stream) is large in the presentation
    /// layout, whoever speaks; `auto` is the grid until someone shares.
    @Test func presentationShowsTheScreenShareAndAutoSwitchesToIt() {
        var roster = Self.roster(3, speaker: 0)
        #expect(Layouts.auto(roster, Self.canvas, LayoutOptions()) == Layouts.grid(roster, Self.canvas, LayoutOptions()))
        #expect(Layouts.presentation(roster, Self.canvas, LayoutOptions()) == Layouts.speaker(roster, Self.canvas, LayoutOptions()))
        roster.append(RosterEntry(id: .screenShare(of: "p1", stream: "2"), joinedAt: .seconds(5), sourceSize: PixelSize(width: 1920, height: 1080)))
        for tiles in [Layouts.presentation(roster, Self.canvas, LayoutOptions()), Layouts.auto(roster, Self.canvas, LayoutOptions())] {
            #expect(tiles.map(\.participant.rawValue) == ["p1/2", "p0", "p1", "p2"])
            #expect(tiles[0].cell == PixelRect(x: 0, y: 0, width: 1280, height: 576))
        }
    }

    @Test func singleSpeakerShowsOnlyTheSpeaker() {
        let tiles = Layouts.singleSpeaker(Self.roster(3, speaker: 1), Self.canvas, LayoutOptions())
        #expect(tiles.map(\.participant) == [ParticipantID("p1")])
        #expect(tiles[0].cell == PixelRect(size: Self.canvas))
        #expect(Layouts.singleSpeaker([], Self.canvas, LayoutOptions()).isEmpty)
    }
}

@Suite struct ActiveSpeakerTests {
    static func block(_ amplitude: Float) -> AudioBlock {
        AudioBlock(channels: 1, timestamp: .zero, samples: (0..<960).map { amplitude * sin(Float($0) * 0.1) })
    }

    /// Who talks `amplitude` loud from `from` to `to` (seconds), in 20 ms blocks.
    static func talk(_ speakers: inout ActiveSpeaker, _ who: String, _ amplitude: Float, from: Double, to: Double) {
        var time = from
        while time < to - 1e-9 {
            speakers.hear(block(amplitude), from: ParticipantID(who), at: .milliseconds(Int64((time * 1000).rounded())))
            time += 0.02
        }
    }

    @Test func theLoudestTakesTheFloorAfterTheHoldAndSilenceKeepsIt() {
        var speakers = ActiveSpeaker()
        #expect(speakers.speaker(at: .seconds(1)) == nil)
        Self.talk(&speakers, "a", 0.3, from: 0, to: 2)
        Self.talk(&speakers, "b", 0.05, from: 0, to: 4)
        Self.talk(&speakers, "b", 0.005, from: 4, to: 6)  // below the threshold: silence
        Self.talk(&speakers, "c", 0.4, from: 2, to: 2.5)
        #expect(speakers.speaker(at: .seconds(1)) == ParticipantID("a"))
        // c is louder from 2 s, but a has held the floor only since 1 s: a stays until 2.5 s.
        #expect(speakers.speaker(at: .milliseconds(2300)) == ParticipantID("a"))
        #expect(speakers.speaker(at: .milliseconds(2500)) == ParticipantID("c"))
        // c stopped; b is the loudest left and takes over once c has held for 1.5 s.
        #expect(speakers.speaker(at: .milliseconds(3500)) == ParticipantID("c"))
        #expect(speakers.speaker(at: .milliseconds(4000)) == ParticipantID("b"))
        // Silence: the last speaker stays; a speaker who leaves is forgotten.
        #expect(speakers.speaker(at: .seconds(5)) == ParticipantID("b"))
        speakers.forget(ParticipantID("b"))
        #expect(speakers.speaker(at: .milliseconds(5500)) == nil)
    }
}
