import Foundation
import Hummingbird
import JobConfig
import Logging
import NIOCore

/// What the control endpoint asks of the recording. The recorder implements it: stop, pause and
/// resume act on the media pipeline and report the change through `RecordingStatusReporter`.
/// Throwing a `RecordingTransitionError` (or `RecordingReportError.transition`) answers 409.
public protocol RecordingControlHandler: Sendable {
    func status() async -> RecordingStatus
    func stop() async throws -> RecordingStatus
    func pause() async throws -> RecordingStatus
    func resume() async throws -> RecordingStatus
}

/// The recording's own HTTP endpoint, on loopback unless configured otherwise. Every request
/// must carry `Authorization: Bearer <token>`; without it the answer is 401 and nothing changes.
///
///     GET  /status    200 RecordingStatus JSON
///     POST /stop      200 the new status, 409 {"error": ...} when the state does not allow it
///     POST /pause     (same)
///     POST /resume    (same)
///     GET  /metrics   200 Prometheus text (see RecordingMetrics)
public struct ControlServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0: an ephemeral port, reported to `onListening`.
        public var port: Int
        public var token: Secret

        public init(host: String = "127.0.0.1", port: Int = 0, token: Secret) {
            self.host = host
            self.port = port
            self.token = token
        }
    }

    private let configuration: Configuration
    private let handler: any RecordingControlHandler
    private let metrics: RecordingMetrics
    private let logger: Logger

    public init(
        configuration: Configuration, handler: any RecordingControlHandler, metrics: RecordingMetrics,
        logger: Logger
    ) {
        self.configuration = configuration
        self.handler = handler
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until the calling task is cancelled. `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.add(middleware: BearerTokenMiddleware(token: configuration.token))
        let handler = handler
        let metrics = metrics
        router.get("status") { _, _ in
            Self.json(await handler.status().jsonData())
        }
        router.post("stop") { _, _ in await Self.change { try await handler.stop() } }
        router.post("pause") { _, _ in await Self.change { try await handler.pause() } }
        router.post("resume") { _, _ in await Self.change { try await handler.resume() } }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let host = configuration.host
        let logger = logger
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("control endpoint listening", metadata: ["address": "\(host):\(port)"])
                await onListening(port)
            },
            logger: logger)
        try await application.run()
    }

    private static func change(_ request: () async throws -> RecordingStatus) async -> Response {
        do {
            return json(try await request().jsonData())
        } catch let error as RecordingTransitionError {
            return errorResponse(.conflict, "\(error)")
        } catch RecordingReportError.transition(let error) {
            return errorResponse(.conflict, "\(error)")
        } catch {
            return errorResponse(.internalServerError, "\(error)")
        }
    }

    private static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func errorResponse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data()
        return json(data, status: status)
    }
}

/// Answers 401 unless the request carries the expected bearer token. The comparison takes the
/// same time wherever the first differing byte is.
private struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let token: Secret

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], Self.matches(header, token: token) else {
            return Response(
                status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"error\":\"missing or wrong bearer token\"}")))
        }
        return try await next(request, context)
    }

    static func matches(_ header: String, token: Secret) -> Bool {
        let expected = Array("Bearer \(token.exposedValue)".utf8)
        let given = Array(header.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}
