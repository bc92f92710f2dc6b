import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import PlatformContracts

extension PlatformClient {
    /// One HTTP client per process, shared by every `PlatformClient` (and by other HTTP calls
    /// of the same tool, such as `appctl`'s OCI registry transfers). Connection attempts are
    /// not retried: a refused connection fails now with a clear message, not after the whole
    /// timeout.
    public static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tlsConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The TLS settings of every HTTPS and WSS call: the system's trust roots, plus the CA
    /// certificates in the PEM file `APPCTL_CA_FILE` names (a platform with its own CA, such
    /// as the one `scripts/demo.sh` makes). `nil` (the defaults) when it is unset.
    public static let tlsConfiguration: TLSConfiguration? = {
        guard let file = ProcessInfo.processInfo.environment["APPCTL_CA_FILE"], !file.isEmpty else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.file(file)]
        return tls
    }()

    /// The most an answer may hold (the audit export is the largest document).
    static let maximumBodyBytes = 512 * 1024 * 1024

    func execute(method: String, path: String, body: Data?, acceptedStatuses: Set<Int>) async throws -> PlatformResponse {
        let url = server + path
        var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", userAgent)]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let answer: (status: Int, body: Data)
        do {
            answer = try await transport.send(
                PlatformRequest(url: url, method: method, path: path, headers: headers, body: body), timeout: timeout)
        } catch {
            throw PlatformClientError.unreachable(server: server, reason: Self.describe(error))
        }
        if (200..<300).contains(answer.status) || acceptedStatuses.contains(answer.status) {
            return PlatformResponse(url: url, status: answer.status, body: answer.body)
        }
        throw PlatformClientError.rejected(PlatformClientError.Rejection(server: server, path: path, status: answer.status, body: answer.body))
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("deadlineExceeded") || text.contains("connectTimeout") { return "timed out" }
        return text
    }
}

/// One request as the client built it, before any carrier sees it.
public struct PlatformRequest: Sendable {
    /// The whole URL (`server` + `path`).
    public var url: String
    /// The HTTP method.
    public var method: String
    /// The path with its query string, e.g. `/v1/whoami`.
    public var path: String
    /// Headers in order.
    public var headers: [(name: String, value: String)]
    /// The JSON body, if any.
    public var body: Data?

    /// Creates a request (a carrier that forwards one as it is, like the console's event streams).
    public init(url: String, method: String, path: String, headers: [(name: String, value: String)], body: Data?) {
        self.url = url
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// Carries a ``PlatformRequest`` and returns the answer's status and bytes; throws only when
/// no answer came (the client maps that to ``PlatformClientError/unreachable(server:reason:)``).
public protocol PlatformTransport: Sendable {
    /// Sends one request.
    func send(_ request: PlatformRequest, timeout: Duration) async throws -> (status: Int, body: Data)
}

/// HTTP/1.1 over the process's shared ``PlatformClient/httpClient``.
public struct HTTPTransport: PlatformTransport {
    /// Creates the transport.
    public init() {}

    /// Sends the request over HTTP.
    public func send(_ request: PlatformRequest, timeout: Duration) async throws -> (status: Int, body: Data) {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)
        let response = try await PlatformClient.httpClient.execute(outgoing, timeout: deadline)
        let bytes = try await response.body.collect(upTo: PlatformClient.maximumBodyBytes)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }
}
