import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformContracts

/// What a bound handler receives: its endpoint's typed path values, query and body, parsed
/// by the binding before the handler runs (a malformed number or body is a 400 that no
/// handler sees), and the request headers for the few handlers that read one
/// (`Accept`, `Last-Event-ID` of the instance events). (Its parameters are not constrained to
/// PlatformAPI's protocols here: Hummingbird has an `EndpointPath` of its own, and the
/// endpoint that fills them in ``BoundEndpoint/init(_:emptyBody:_:)`` already is.)
public struct EndpointInput<Path: Sendable, Query: Sendable, Body: Sendable>: Sendable {
    /// The path parameters: percent-decoded, ULID-shaped identifiers in canonical form.
    public let path: Path
    /// The query parameters.
    public let query: Query
    /// The decoded body (``NoBody`` for endpoints without one).
    public let body: Body
    /// The request's header fields.
    public let headers: HTTPFields
}

/// A handler's answer: the endpoint's success document, encoded by the binding as JSON at the
/// endpoint's success status (an empty 204 for ``NoContent``), or — for the answers that are
/// not one JSON document of `Value` — a response the handler built itself: the Server-Sent
/// Events of an instance, bytes that are already JSON (audit export, registries), or a
/// refused manifest's diagnostics.
public enum Reply<Value: Sendable>: Sendable {
    /// The success document.
    case value(Value)
    /// A response built by the handler.
    case response(Response)
}

/// One endpoint bound to its handler, with the types erased: what ``SecuredRouter`` registers.
public struct BoundEndpoint: Sendable {
    /// The endpoint the handler was bound for.
    public let endpoint: any EndpointDescribing
    /// Parses the input, runs the handler and encodes its reply.
    let respond: @Sendable (Request, PlatformRequestContext, Caller) async throws -> Response

    /// Binds `handler` to `endpoint`. The handler's types are the endpoint's, so it cannot read
    /// a parameter the path does not have or answer a document the contract does not describe.
    /// - Parameters:
    ///   - endpoint: The typed endpoint.
    ///   - emptyBody: The body an empty request body stands for; `nil` (the default) refuses an
    ///     empty body as not the expected JSON.
    ///   - handler: The handler.
    public init<Path, Query, Body, Value>(
        _ endpoint: Endpoint<Path, Query, Body, Value>, emptyBody: Body? = nil,
        _ handler: @escaping @Sendable (EndpointInput<Path, Query, Body>, PlatformRequestContext, Caller) async throws -> Reply<Value>
    ) {
        self.endpoint = endpoint
        let status = endpoint.successStatus
        self.respond = { request, context, caller in
            let path = try Path { (parameter: PathParameter) throws(PlatformError) -> String in
                guard let value = context.parameters.get(parameter.rawValue) else {
                    throw PlatformError(.internalError, "the route has no path parameter \(parameter.rawValue)")
                }
                return value
            }
            let parameters = request.uri.queryParameters
            let query = try Query { name in parameters[Substring(name)].map(String.init) }
            let body = try await RequestBody.read(Body.self, from: request, whenEmpty: emptyBody)
            let input = EndpointInput(path: path, query: query, body: body, headers: request.headers)
            switch try await handler(input, context, caller) {
            case .value(let value):
                return Value.self == NoContent.self ? Response(status: status) : JSONResponse.make(value, status: status)
            case .response(let response):
                return response
            }
        }
    }
}
