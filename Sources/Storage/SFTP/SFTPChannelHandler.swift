import NIOCore
import NIOSSH

/// One SFTP request on its way out, with the promise its response completes.
struct SFTPRequestEnvelope: Sendable {
    var request: SFTPRequest
    var promise: EventLoopPromise<SFTPResponse>
}

/// Why an SFTP exchange ended other than with a response.
enum SFTPChannelFailure: Error, Hashable, CustomStringConvertible {
    case subsystemRefused
    case closed
    case timedOut(String)
    case malformed(String)

    var description: String {
        switch self {
        case .subsystemRefused: "the server refused the sftp subsystem"
        case .closed: "the SSH channel closed"
        case .timedOut(let request): "no answer to \(request) in time"
        case .malformed(let text): text
        }
    }
}

/// Sits in the SSH session channel: asks for the `sftp` subsystem, frames outgoing requests with
/// fresh request ids, reassembles incoming packets and completes each request's promise with
/// its response. Anything that ends the channel fails every outstanding promise.
final class SFTPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SFTPRequestEnvelope
    typealias OutboundOut = SSHChannelData

    /// Largest packet accepted from the server; OpenSSH sends at most 256 KiB.
    static let maxPacket = 1 << 20

    private let subsystemReady: EventLoopPromise<Void>
    private let requestTimeout: TimeAmount
    private var nextID: UInt32 = 1
    private var pending: [UInt32: (promise: EventLoopPromise<SFTPResponse>, timeout: Scheduled<Void>, name: String)] = [:]
    private var versionPromise: EventLoopPromise<SFTPResponse>?
    private var received: ByteBuffer?
    private var subsystemAnswered = false

    init(subsystemReady: EventLoopPromise<Void>, requestTimeout: TimeAmount) {
        self.subsystemReady = subsystemReady
        self.requestTimeout = requestTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        requestSubsystem(context: context)
    }

    func channelActive(context: ChannelHandlerContext) {
        requestSubsystem(context: context)
        context.fireChannelActive()
    }

    private func requestSubsystem(context: ChannelHandlerContext) {
        let request = SSHChannelRequestEvent.SubsystemRequest(subsystem: "sftp", wantReply: true)
        context.triggerUserOutboundEvent(request, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent where !subsystemAnswered:
            subsystemAnswered = true
            subsystemReady.succeed(())
        case is ChannelFailureEvent where !subsystemAnswered:
            subsystemAnswered = true
            subsystemReady.fail(SFTPChannelFailure.subsystemRefused)
            context.close(promise: nil)
        case ChannelEvent.inputClosed:
            // The server sent EOF: nothing more will be answered.
            failAll(SFTPChannelFailure.closed)
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = unwrapOutboundIn(data)
        let id: UInt32
        if case .initialize = envelope.request {
            id = 0
            versionPromise = envelope.promise
        } else {
            id = nextID
            nextID &+= 1
            let name = envelope.request.name
            let timeout = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) {
                self.failAll(SFTPChannelFailure.timedOut(name))
                context.close(promise: nil)
            }
            pending[id] = (envelope.promise, timeout, name)
        }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        buffer.writeBytes(envelope.request.encoded(id: id))
        context.write(
            wrapOutboundOut(SSHChannelData(type: .channel, data: .byteBuffer(buffer))),
            promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(var bytes) = message.data else {
            return  // stderr of the subsystem: nothing this client acts on
        }
        var buffer = received ?? context.channel.allocator.buffer(capacity: bytes.readableBytes)
        received = nil
        buffer.writeBuffer(&bytes)
        while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) {
            guard length > 0, Int(length) <= Self.maxPacket else {
                failAll(SFTPChannelFailure.malformed("SFTP packet length \(length) out of range"))
                context.close(promise: nil)
                return
            }
            guard buffer.readableBytes >= 4 + Int(length) else { break }
            buffer.moveReaderIndex(forwardBy: 4)
            guard let packet = buffer.readBytes(length: Int(length)) else { break }
            deliver(packet, context: context)
        }
        if buffer.readableBytes > 0 {
            buffer.discardReadBytes()
            received = buffer
        }
    }

    private func deliver(_ packet: [UInt8], context: ChannelHandlerContext) {
        let response: SFTPResponse
        do {
            response = try SFTPResponse(packet: packet)
        } catch {
            failAll(SFTPChannelFailure.malformed(error.description))
            context.close(promise: nil)
            return
        }
        if let id = response.id {
            guard let entry = pending.removeValue(forKey: id) else {
                failAll(SFTPChannelFailure.malformed("SFTP response to unknown request id \(id)"))
                context.close(promise: nil)
                return
            }
            entry.timeout.cancel()
            entry.promise.succeed(response)
        } else if let promise = versionPromise {
            versionPromise = nil
            promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SFTPChannelFailure.closed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(SFTPChannelFailure.closed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if !subsystemAnswered {
            subsystemAnswered = true
            subsystemReady.fail(error)
        }
        versionPromise?.fail(error)
        versionPromise = nil
        let entries = pending
        pending = [:]
        for entry in entries.values {
            entry.timeout.cancel()
            entry.promise.fail(error)
        }
    }
}
