import HTTPTypes
import PlatformContracts

/// One `/v1` operation, typed end to end: its path parameters (`Path`), query (`Query`),
/// request body (`Body`, ``NoBody`` when none) and success document (`Response`,
/// ``NoContent`` for 204). The server binds a handler of exactly these types, the client
/// (`PlatformClient`) sends exactly these types, and the OpenAPI document derives its
/// schemas from the same `Codable` types — so none of the three can drift from the others.
///
/// ```swift
/// static let getInstance = Endpoint<ProjectItemPath<ProjectItems.Instance>, NoQuery, NoBody, InstanceRecord>(
///     .getInstance, in: .instances, .get, "/v1/projects/\(.project)/instances/\(.instance)", scope: "apps:instance:read",
///     summary: "One instance: phase, reason, node, GPUs, endpoints.")
/// ```
public struct Endpoint<Path: EndpointPath, Query: EndpointQuery, Body: Codable & Sendable, Response: Codable & Sendable>:
    EndpointDescribing {
    public let operation: Operation
    public let area: APIArea
    public let method: HTTPRequest.Method
    public let path: PathTemplate
    public let scope: String?
    public let summary: String
    public let successStatus: HTTPResponse.Status
    public let eventStream: Bool

    /// Defines an endpoint.
    /// - Parameters:
    ///   - operation: Its ``Operation`` case (the OpenAPI `operationId`).
    ///   - area: Its area (the OpenAPI tag, the Python SDK's module).
    ///   - method: HTTP method.
    ///   - path: The path template.
    ///   - scope: The scope the caller's key must carry (`nil`: any authenticated caller).
    ///   - summary: One line for the reference.
    ///   - status: The success status (default 200; 204 when `Response` is ``NoContent``).
    ///   - eventStream: Whether `Accept: text/event-stream` turns the answer into Server-Sent
    ///     Events of `Response`'s elements (described in the AsyncAPI document).
    public init(_ operation: Operation, in area: APIArea, _ method: HTTPRequest.Method, _ path: PathTemplate, scope: String?, summary: String,
                status: HTTPResponse.Status? = nil, eventStream: Bool = false) {
        self.operation = operation
        self.area = area
        self.method = method
        self.path = path
        self.scope = scope
        self.summary = summary
        self.successStatus = status ?? (Response.self == NoContent.self ? .noContent : .ok)
        self.eventStream = eventStream
    }

    public var pathType: any EndpointPath.Type { Path.self }
    public var queryFields: [QueryField] { Query.fields }
    public var requestBody: (any Codable.Type)? { Body.self == NoBody.self ? nil : Body.self }
    public var responseBody: (any Codable.Type)? { Response.self == NoContent.self ? nil : Response.self }

    /// The request path for these parameter values (each percent-encoded as one segment).
    public func path(_ values: Path) -> String { path.path { values.value(of: $0) } }
}

/// What every endpoint says about itself, whatever its types: what the OpenAPI generator,
/// the portal and the router's registration loop read.
public protocol EndpointDescribing: Sendable {
    /// Its operation.
    var operation: Operation { get }
    /// Its area.
    var area: APIArea { get }
    /// HTTP method.
    var method: HTTPRequest.Method { get }
    /// Path template.
    var path: PathTemplate { get }
    /// Required scope, `nil` for any authenticated caller.
    var scope: String? { get }
    /// One line.
    var summary: String { get }
    /// Success status.
    var successStatus: HTTPResponse.Status { get }
    /// Whether it also answers as Server-Sent Events.
    var eventStream: Bool { get }
    /// The path parameters' type.
    var pathType: any EndpointPath.Type { get }
    /// The query parameters.
    var queryFields: [QueryField] { get }
    /// The request body's type, `nil` for none.
    var requestBody: (any Codable.Type)? { get }
    /// The success document's type, `nil` for 204.
    var responseBody: (any Codable.Type)? { get }
}

extension EndpointDescribing {
    /// `GET /v1/whoami` (method and template).
    public var signature: String { "\(method) \(path)" }
}

/// The request of an endpoint that takes no body; the client sends none, the server reads none.
public struct NoBody: Codable, Sendable, Hashable {
    /// The only value.
    public init() {}
}

/// The answer of an endpoint that returns `204 No Content`.
public struct NoContent: Codable, Sendable, Hashable {
    /// The only value.
    public init() {}
}
