import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformContracts

/// A thin HTTP client for `platformd`'s API (AsyncHTTPClient underneath).
public struct PlatformClient: Sendable {
    /// Who the client talks to.
    public let target: ServerTarget
    private let timeout: TimeAmount

    /// Creates a client.
    public init(target: ServerTarget, timeout: TimeAmount = .seconds(10)) {
        self.target = target
        self.timeout = timeout
    }

    /// A decoded response with its status.
    public struct Reply<Body: Sendable>: Sendable {
        /// HTTP status code.
        public let status: Int
        /// Decoded body.
        public let body: Body
    }

    /// GETs a JSON document. Non-2xx answers with a platform error body throw it; other
    /// statuses are returned when `acceptedStatuses` contains them (health answers 503 with a
    /// valid document).
    public func get<Body: Decodable & Sendable>(
        _ path: String, as type: Body.Type, acceptedStatuses: Set<Int> = []
    ) async throws -> Reply<Body> {
        let (status, data) = try await send(.GET, path, body: Data?.none, acceptedStatuses: acceptedStatuses)
        return Reply(status: status, body: try decode(Body.self, data, status: status, path: path))
    }

    /// Sends a JSON body and decodes the JSON answer.
    public func send<Request: Encodable & Sendable, Body: Decodable & Sendable>(
        _ method: ClientMethod, _ path: String, json: Request, as type: Body.Type
    ) async throws -> Body {
        let (status, data) = try await send(method.http, path, body: try JSONEncoder().encode(json))
        return try decode(Body.self, data, status: status, path: path)
    }

    /// Sends a request without a body and returns the raw answer.
    public func raw(_ method: ClientMethod, _ path: String) async throws -> Data {
        try await send(method.http, path, body: Data?.none).1
    }

    func decode<Body: Decodable>(_ type: Body.Type, _ data: Data, status: Int, path: String) throws -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch {
            throw AppCtlError(
                .clientUnexpectedResponse, "\(target.server)\(path) answered \(status) with a body appctl cannot read: \(error)")
        }
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?, acceptedStatuses: Set<Int> = []) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: target.server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "appctl/\(PlatformVersion.version)")
        if let token = target.token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await Self.httpClient.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 512 * 1024 * 1024)
        } catch {
            throw AppCtlError(.clientServerUnreachable, "cannot reach \(target.server): \(Self.describe(error))")
        }
        let status = Int(response.status.code)
        let data = Data(bytes.readableBytesView)
        if (200..<300).contains(status) || acceptedStatuses.contains(status) { return (status, data) }
        if let body = try? JSONDecoder().decode(ErrorEnvelope.self, from: data) {
            if status == 401 {
                throw AppCtlError(.clientUnauthorized, "\(body.error.message) (\(body.error.code)); check --token, APPCTL_TOKEN or appctl login")
            }
            // A code this appctl does not know (a newer server's) still shows, in the message.
            guard let code = ErrorCode(rawValue: body.error.code) else {
                throw AppCtlError(.clientUnexpectedResponse, "\(body.error.message) [\(body.error.code)]")
            }
            throw AppCtlError(code, body.error.message)
        }
        if status == 401 || status == 403 {
            throw AppCtlError(.clientUnauthorized, "\(target.server) refused the credentials (\(status)); check --token or APPCTL_TOKEN")
        }
        throw AppCtlError(.clientUnexpectedResponse, "\(target.server)\(path) answered \(status)")
    }

    /// One client per process (the registry client shares it). Connection attempts are not
    /// retried: a refused connection should fail now with a clear message, not after the whole timeout.
    static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    private struct ErrorEnvelope: Decodable {
        struct Payload: Decodable {
            var code: String
            var message: String
        }
        var error: Payload
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("deadlineExceeded") || text.contains("connectTimeout") { return "timed out" }
        return text
    }
}

/// The HTTP methods the API uses.
public enum ClientMethod: Sendable {
    /// GET.
    case get
    /// POST.
    case post
    /// DELETE.
    case delete

    var http: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .delete: .DELETE
        }
    }
}
