import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import PlatformClient
import PlatformContracts

/// Carries the console's ``PlatformClient`` calls through the `/v1` router in process: the
/// same bindings, the same ``SecuredRouter`` scope checks, project lookups and audit as an API
/// call, with the caller the console resolved from its session already on the context
/// (``SecuredRouter/CallerSource/consoleSession``). The console therefore sees exactly what
/// the session's key sees through the API, never more: it holds no service of its own.
struct ConsoleTransport: PlatformTransport {
    let responder: RouterResponder<PlatformRequestContext>
    /// The console request's context: its caller, request id, logger and connection.
    let context: PlatformRequestContext

    func send(_ request: PlatformRequest, timeout: Duration) async throws -> (status: Int, body: Data) {
        let response = try await respond(request)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return (Int(response.status.code), collector.data)
    }

    /// The `/v1` router's answer as it is, body unread: what an event stream forwards.
    func respond(_ request: PlatformRequest) async throws -> Response {
        guard let method = HTTPRequest.Method(request.method) else {
            throw PlatformError(.internalError, "the console sent an unknown method \(request.method)")
        }
        var head = HTTPRequest(method: method, scheme: nil, authority: nil, path: request.path)
        for header in request.headers where header.name.lowercased() != "authorization" {
            if let name = HTTPField.Name(header.name) { head.headerFields[name] = header.value }
        }
        let body = HummingbirdCore.RequestBody(buffer: request.body.map { ByteBuffer(bytes: $0) } ?? ByteBuffer())
        var context = context
        context.grants = nil
        context.project = nil
        return try await responder.respond(to: Request(head: head, body: body), context: context)
    }
}

/// Collects a response body written in process.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    /// Written by one task (the response body's writer), read after it returns.
    private(set) var data = Data()

    func write(_ buffer: ByteBuffer) async throws {
        data.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
