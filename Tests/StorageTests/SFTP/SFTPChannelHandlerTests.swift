import NIOCore
import NIOEmbedded
import NIOSSH
import Testing

@testable import Storage

/// The handler on an `EmbeddedChannel`: every way the channel can end completes every request
/// still waiting, with an error that says how.
@Suite struct SFTPChannelHandlerTests {
    struct Harness {
        let channel = EmbeddedChannel()
        let loop: EmbeddedEventLoop
        let subsystemReady: EventLoopPromise<Void>

        init() throws {
            loop = channel.embeddedEventLoop
            subsystemReady = loop.makePromise()
            try channel.pipeline.syncOperations.addHandler(
                SFTPChannelHandler(subsystemReady: subsystemReady, requestTimeout: .seconds(5)))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 22)).wait()
            try channel.pipeline.fireUserInboundEventTriggered(ChannelSuccessEvent())
        }

        /// Sends `request`; returns the future of its response and the bytes that went out.
        func send(_ request: SFTPRequest) throws -> (EventLoopFuture<SFTPResponse>, [UInt8]) {
            let promise = loop.makePromise(of: SFTPResponse.self)
            try channel.writeAndFlush(SFTPRequestEnvelope(request: request, promise: promise)).wait()
            guard let sent = try channel.readOutbound(as: SSHChannelData.self),
                case .byteBuffer(let buffer) = sent.data
            else { return (promise.futureResult, []) }
            return (promise.futureResult, Array(buffer.readableBytesView))
        }

        func receive(_ bytes: [UInt8]) throws {
            try channel.writeInbound(
                SSHChannelData(type: .channel, data: .byteBuffer(ByteBuffer(bytes: bytes))))
        }
    }

    /// The error `future` failed with, or `nil` if it has not failed (yet).
    static func failure(of future: EventLoopFuture<SFTPResponse>) -> SFTPChannelFailure? {
        var failure: SFTPChannelFailure?
        future.whenFailure { failure = $0 as? SFTPChannelFailure }
        return failure
    }

    @Test func responseInTwoPiecesCompletesTheRequestWithTheSameID() throws {
        let harness = try Harness()
        let (response, sent) = try harness.send(.stat(path: "a"))
        #expect(sent == [0, 0, 0, 10, 17, 0, 0, 0, 1, 0, 0, 0, 1, 0x61])  // STAT, id 1, "a"
        // STATUS id 1, SSH_FX_NO_SUCH_FILE, "x", language "".
        let status: [UInt8] = [0, 0, 0, 18, 101, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0x78, 0, 0, 0, 0]
        try harness.receive(Array(status[..<7]))
        try harness.receive(Array(status[7...]))
        #expect(try response.wait() == .status(id: 1, code: 2, message: "x"))
    }

    @Test func endOfInputFailsWaitingRequestsAndCloses() throws {
        let harness = try Harness()
        let (first, _) = try harness.send(.stat(path: "a"))
        let (second, _) = try harness.send(.remove(path: "b"))
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(Self.failure(of: first) == .closed)
        #expect(Self.failure(of: second) == .closed)
        #expect(!harness.channel.isActive)
    }

    @Test func closedChannelFailsWaitingRequests() throws {
        let harness = try Harness()
        let (response, _) = try harness.send(.makeDirectory(path: "d"))
        try harness.channel.close().wait()
        #expect(Self.failure(of: response) == .closed)
    }

    @Test func unansweredRequestTimesOutAndCloses() throws {
        let harness = try Harness()
        let (response, _) = try harness.send(.write(handle: [1], offset: 65536, data: [0]))
        harness.loop.advanceTime(by: .seconds(4))
        #expect(Self.failure(of: response) == nil)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(Self.failure(of: response) == .timedOut("WRITE at 65536"))
        #expect(!harness.channel.isActive)
    }

    @Test func oversizedPacketLengthFailsWaitingRequests() throws {
        let harness = try Harness()
        let (response, _) = try harness.send(.stat(path: "a"))
        try? harness.receive([0x7f, 0xff, 0xff, 0xff, 101])
        #expect(Self.failure(of: response) == .malformed("SFTP packet length 2147483647 out of range"))
        #expect(!harness.channel.isActive)
    }

    @Test func refusedSubsystemFailsTheReadyPromise() throws {
        let channel = EmbeddedChannel()
        let ready = channel.embeddedEventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(
            SFTPChannelHandler(subsystemReady: ready, requestTimeout: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 22)).wait()
        channel.pipeline.fireUserInboundEventTriggered(ChannelFailureEvent())
        var failure: SFTPChannelFailure?
        ready.futureResult.whenFailure { failure = $0 as? SFTPChannelFailure }
        #expect(failure == .subsystemRefused)
    }
}
