import Testing
@testable import MediaTypes

@Suite struct VideoFrameTests {
    @Test(arguments: [(1, 1), (17, 9), (640, 360), (641, 361), (1920, 1080)])
    func planesAreAlignedAndStridesCoverTheWidth(size: (Int, Int)) {
        let frame = VideoFrame(width: size.0, height: size.1)
        #expect(frame.planeWidth(.u) == (size.0 + 1) / 2)
        #expect(frame.planeHeight(.v) == (size.1 + 1) / 2)
        for plane in VideoFrame.Plane.allCases {
            #expect(Int(bitPattern: frame.pointer(plane)) % 64 == 0)
            #expect(frame.stride(plane) % 64 == 0)
            #expect(frame.stride(plane) >= frame.planeWidth(plane))
        }
        // Planes do not overlap: fill each with its own value and read all three back.
        frame.pointer(.y).update(repeating: 1, count: frame.stride(.y) * frame.height)
        frame.pointer(.u).update(repeating: 2, count: frame.stride(.u) * frame.planeHeight(.u))
        frame.pointer(.v).update(repeating: 3, count: frame.stride(.v) * frame.planeHeight(.v))
        #expect(frame[.y, size.0 - 1, size.1 - 1] == 1)
        #expect(frame[.u, 0, 0] == 2)
        #expect(frame[.v, frame.planeWidth(.v) - 1, frame.planeHeight(.v) - 1] == 3)
    }

    @Test func poolReusesBuffersOnceFramesAreReleased() {
        let pool = VideoFramePool(width: 320, height: 180, capacity: 2)
        var first: VideoFrame? = pool.makeFrame()
        let address = first.map { Int(bitPattern: $0.pointer(.y)) }
        first = nil
        let second = pool.makeFrame(timestamp: .seconds(1))
        #expect(Int(bitPattern: second.pointer(.y)) == address)
        #expect(second.timestamp == .seconds(1))
        #expect(pool.allocatedBuffers == 1)
        // While `second` lives, one more buffer cycles through the pool: 2 in all, however many frames.
        for _ in 0..<100 { _ = pool.makeFrame() }
        #expect(pool.allocatedBuffers == 2)
    }

    @Test func poolFreesBeyondItsCapacity() {
        let pool = VideoFramePool(width: 64, height: 64, capacity: 1)
        var frames: [VideoFrame] = (0..<4).map { _ in pool.makeFrame() }
        #expect(pool.allocatedBuffers == 4)
        frames.removeAll()
        #expect(pool.allocatedBuffers == 1)
    }

    @Test func fillSetsEveryPlane() {
        let frame = VideoFrame(width: 33, height: 17)
        frame.fill(y: 16, u: 128, v: 200)
        #expect(frame[.y, 32, 16] == 16)
        #expect(frame[.u, 16, 8] == 128)
        #expect(frame[.v, 16, 8] == 200)
    }
}

@Suite struct AudioBlockTests {
    @Test func convertsSixteenBitSamplesBothWays() {
        let block = AudioBlock(channels: 2, timestamp: .zero, s16: [0, 16384, -32768, 32767])
        #expect(block.frameCount == 2)
        #expect(block.samples[1] == 0.5)
        #expect(block.samples[2] == -1)
        #expect(block.s16Samples() == [0, 16384, -32768, 32767])
        #expect(block.duration == MediaTime(value: 2, timescale: 48_000))
    }

    @Test func clampsOutOfRangeFloats() {
        let block = AudioBlock(channels: 1, timestamp: .zero, samples: [1.5, -2])
        #expect(block.s16Samples() == [32767, -32768])
    }
}
