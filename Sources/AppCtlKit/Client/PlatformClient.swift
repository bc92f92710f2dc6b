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
        var request = HTTPClientRequest(url: target.server + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "appctl/\(PlatformVersion.version)")
        if let token = target.token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await Self.httpClient.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        } catch {
            throw AppCtlError(.clientServerUnreachable, "cannot reach \(target.server): \(Self.describe(error))")
        }
        let status = Int(response.status.code)
        let data = Data(bytes.readableBytesView)
        if (200..<300).contains(status) || acceptedStatuses.contains(status) {
            do {
                return Reply(status: status, body: try JSONDecoder().decode(Body.self, from: data))
            } catch {
                throw AppCtlError(
                    .clientUnexpectedResponse, "\(target.server)\(path) answered \(status) with a body appctl cannot read: \(error)")
            }
        }
        if status == 401 || status == 403 {
            throw AppCtlError(.clientUnauthorized, "\(target.server) refused the credentials (\(status)); check --token or APPCTL_TOKEN")
        }
        if let body = try? JSONDecoder().decode(ErrorEnvelope.self, from: data) {
            throw AppCtlError(body.error.code, body.error.message)
        }
        throw AppCtlError(.clientUnexpectedResponse, "\(target.server)\(path) answered \(status)")
    }

    /// One client per process. Connection attempts are not retried: a refused connection
    /// should fail now with a clear message, not after the whole timeout.
    private static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    private struct ErrorEnvelope: Decodable {
        struct Payload: Decodable {
            var code: ErrorCode
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
