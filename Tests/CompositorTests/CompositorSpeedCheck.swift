import TestSupport
import Foundation
import MediaTypes
import Testing
@testable import Compositor

/// A by-hand throughput check, not a timed test: it only runs when asked, in a release build:
///     TESSERA_SPEED_CHECK=300 swift test -c release --filter CompositorSpeedCheck
/// (the value is the number of frames) and prints frames per second of a full redraw of 3x3,
/// 4x4 and 5x5 grids of 640x360 sources into 1280x720, with the SIMD kernels and with their
/// scalar references, one grid at a time. The benchmark harness measures for real.
@Suite(.serialized) struct CompositorSpeedCheck {
    static let iterations = ProcessInfo.processInfo.environment["TESSERA_SPEED_CHECK"].flatMap { Int($0) } ?? 300

    /// Camera-like content: a diagonal gradient with noise, different per participant and set.
    static func texturedFrame(seed: UInt64) -> VideoFrame {
        let frame = VideoFrame(width: 640, height: 360)
        var generator = SeededGenerator(seed: seed)
        for plane in VideoFrame.Plane.allCases {
            for y in 0..<frame.planeHeight(plane) {
                for x in 0..<frame.planeWidth(plane) {
                    frame[plane, x, y] = UInt8(truncatingIfNeeded: (x + y) / 4 + Int(seed) * 17 + Int.random(in: 0..<24, using: &generator))
                }
            }
        }
        return frame
    }

    /// Frames per second of CPU time spent by this thread on `body` (wall time would count the
    /// other processes sharing the machine's cores).
    static func framesPerCPUSecond(_ body: () -> Void) -> Int {
        func threadSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }
        let start = threadSeconds()
        body()
        return Int(Double(iterations) / (threadSeconds() - start))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["TESSERA_SPEED_CHECK"] != nil), arguments: [9, 16, 25])
    func gridInto720p(participants: Int) {
        // Two sets of frames, alternated, so every tick redraws every tile.
        let sets = (0..<2).map { set in (0..<participants).map { Self.texturedFrame(seed: UInt64(set * participants + $0)) } }
        let inputs = sets.map { frames in
            frames.enumerated().map { index, frame in
                CompositorInput(entry: RosterEntry(id: ParticipantID("p\(index)"), joinedAt: .seconds(Int64(index))), frame: frame)
            }
        }
        let compositor = CanvasCompositor(canvasSize: PixelSize(width: 1280, height: 720))
        _ = compositor.compose(inputs[1], at: .zero)
        let simd = Self.framesPerCPUSecond {
            for tick in 0..<Self.iterations { _ = compositor.compose(inputs[tick % 2], at: .zero) }
        }
        #expect(compositor.statistics.tilesSkipped == 0)

        let tiles = compositor.currentTiles
        let canvas = compositor.canvas
        let scalar = Self.framesPerCPUSecond {
            for tick in 0..<Self.iterations {
                for (index, tile) in tiles.enumerated() {
                    for plane in VideoFrame.Plane.allCases {
                        let source = PlaneView(sets[tick % 2][index], plane)
                        let target = PlaneView(canvas, plane).cropped(to: plane == .y ? tile.picture : tile.picture.halved)
                        switch PlaneScaler.kernel(from: PixelSize(width: source.width, height: source.height),
                                                  to: PixelSize(width: target.width, height: target.height)) {
                        case .bilinear: BilinearScaler.scaleReference(source, into: target)
                        case .box: BoxScaler.scaleReference(source, into: target)
                        }
                    }
                }
            }
        }
        let unchanged = Self.framesPerCPUSecond {
            for _ in 0..<Self.iterations { _ = compositor.compose(inputs[0], at: .zero) }
        }
        let picture = tiles[0].picture
        print("""
            \(participants) x 640x360 -> 1280x720 (tiles \(picture.width)x\(picture.height)), \(Self.iterations) frames:
              SIMD kernels, full redraw:   \(simd) frames per CPU second
              scalar reference kernels:    \(scalar) frames per CPU second
              unchanged sources (skipped): \(unchanged) frames per CPU second
            """)
    }
}
