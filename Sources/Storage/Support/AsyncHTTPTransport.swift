import AsyncHTTPClient
import Foundation

/// `HTTPTransport` over AsyncHTTPClient. Each exchange is bounded by `timeout`; response bodies
/// are collected up to `maxResponseBytes`.
public struct AsyncHTTPTransport: HTTPTransport {
    let client: HTTPClient
    let timeout: Duration
    let maxResponseBytes: Int

    public init(
        client: HTTPClient = .shared, timeout: Duration = .seconds(300),
        maxResponseBytes: Int = 256 << 20
    ) {
        self.client = client
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .init(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
            outgoing.body = .bytes(request.body)
        }
        let response = try await client.execute(
            outgoing, timeout: .nanoseconds(timeout.nanoseconds))
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return HTTPResponse(
            status: Int(response.status.code),
            headers: response.headers.map { HTTPHeader($0.name, $0.value) },
            body: Data(body.readableBytesView))
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
