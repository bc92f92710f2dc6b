import AsyncHTTPClient
import Foundation
import HTTPTypes
import PlatformAPI
import PlatformContracts

/// The Swift SDK of the platform's `/v1` API: sends an ``Endpoint``'s typed path, query and
/// body and decodes its typed response. `appctl` makes every `/v1` call through it, so the CLI,
/// third-party Swift tools and the server all read the same endpoint table.
///
/// ```swift
/// let client = PlatformClient(server: "http://127.0.0.1:8080", token: key)
/// let caller = try await client.send(Endpoints.whoami)
/// let instance = try await client.send(Endpoints.getInstance, path: .init(project: "acme/ml", id))
/// ```
///
/// Failures throw ``PlatformClientError``: ``PlatformClientError/unreachable(server:reason:)``
/// when no answer came, ``PlatformClientError/rejected(_:)`` with the HTTP status and the
/// platform ``ErrorCode`` for a non-success answer.
public struct PlatformClient: Sendable {
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    public let server: String
    /// API key sent as `Authorization: Bearer`, if any.
    public let token: String?
    /// The `User-Agent` header (servers log it; `appctl` sends `appctl/VERSION`).
    public let userAgent: String
    /// How long one request may take, answer body included.
    public let timeout: Duration
    /// Carries each request: HTTP to `server` (``HTTPTransport``), or another carrier such as
    /// `platformd`'s console, which sends its pages' calls through the `/v1` router in process.
    public let transport: any PlatformTransport

    /// Creates a client.
    /// - Parameters:
    ///   - server: The base URL (a trailing `/` is dropped).
    ///   - token: The API key, `nil` for unauthenticated calls.
    ///   - userAgent: Identifies the calling tool (default `platform-client-swift/VERSION`).
    ///   - timeout: The limit for one request (default 10 s).
    ///   - transport: What carries the requests (default: HTTP to `server`).
    public init(server: String, token: String?, userAgent: String? = nil, timeout: Duration = .seconds(10),
                transport: any PlatformTransport = HTTPTransport()) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.token = token
        self.userAgent = userAgent ?? "platform-client-swift/\(PlatformVersion.version)"
        self.timeout = timeout
        self.transport = transport
    }

    /// Creates a client for a base URL.
    public init(server: URL, token: String?, userAgent: String? = nil, timeout: Duration = .seconds(10)) {
        self.init(server: server.absoluteString, token: token, userAgent: userAgent, timeout: timeout)
    }

    /// Sends `endpoint`'s request and decodes its success document (``NoContent`` for 204).
    /// - Throws: ``PlatformClientError``.
    public func send<P, Q, B, R>(_ endpoint: Endpoint<P, Q, B, R>, path: P, query: Q, body: B) async throws -> R {
        let response = try await sendRaw(endpoint, path: path, query: query, body: body)
        return try decode(endpoint, from: response)
    }

    /// Sends `endpoint`'s request and returns the answer's exact bytes (for documents that are
    /// verified byte for byte, like the audit export). A status in `acceptedStatuses` is
    /// returned instead of thrown.
    /// - Throws: ``PlatformClientError``.
    public func sendRaw<P, Q, B, R>(
        _ endpoint: Endpoint<P, Q, B, R>, path: P, query: Q, body: B, acceptedStatuses: Set<Int> = []
    ) async throws -> PlatformResponse {
        let payload: Data? = B.self == NoBody.self ? nil : try JSONEncoder().encode(body)
        return try await execute(
            method: endpoint.method.rawValue, path: endpoint.path(path) + Self.queryString(query.items), body: payload,
            acceptedStatuses: acceptedStatuses)
    }

    /// Decodes a response `sendRaw` returned as `endpoint`'s success document.
    /// - Throws: ``PlatformClientError/unreadable(url:status:reason:)``.
    public func decode<P, Q, B, R>(_ endpoint: Endpoint<P, Q, B, R>, from response: PlatformResponse) throws -> R {
        if R.self == NoContent.self, response.body.isEmpty, let none = NoContent() as? R { return none }
        return try decodeDocument(R.self, from: response)
    }

    /// GETs an operational document outside `/v1` (`/version`, `/readyz`): they are not
    /// endpoints of the API contract, but tools read them the same way. A status in
    /// `acceptedStatuses` is decoded too (`/readyz` answers 503 with a valid report).
    public func document<T: Decodable & Sendable>(
        at path: String, as type: T.Type, acceptedStatuses: Set<Int> = []
    ) async throws -> (status: Int, value: T) {
        let response = try await execute(method: "GET", path: path, body: nil, acceptedStatuses: acceptedStatuses)
        return (response.status, try decodeDocument(T.self, from: response))
    }

    func decodeDocument<T: Decodable>(_ type: T.Type, from response: PlatformResponse) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw PlatformClientError.unreadable(url: response.url, status: response.status, reason: "\(error)")
        }
    }

    /// `?name=value&…` with every name and value percent-encoded (RFC 3986 unreserved
    /// characters only), or nothing when there are no items.
    static func queryString(_ items: [(name: String, value: String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\(escape($0.name))=\(escape($0.value))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}

/// An answer as received: its status and exact bytes.
public struct PlatformResponse: Sendable {
    /// The request's URL.
    public let url: String
    /// HTTP status code.
    public let status: Int
    /// The body's bytes.
    public let body: Data
}
