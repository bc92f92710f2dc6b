import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformContracts

extension PlatformClient {
    /// One HTTP client per process, shared by every `PlatformClient` (and by other HTTP calls
    /// of the same tool, such as `appctl`'s OCI registry transfers). Connection attempts are
    /// not retried: a refused connection fails now with a clear message, not after the whole
    /// timeout.
    public static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The most an answer may hold (the audit export is the largest document).
    static let maximumBodyBytes = 512 * 1024 * 1024

    func execute(method: String, path: String, body: Data?, acceptedStatuses: Set<Int>) async throws -> PlatformResponse {
        let url = server + path
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let token {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            let deadline = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
                + timeout.components.attoseconds / 1_000_000_000)
            response = try await Self.httpClient.execute(request, timeout: deadline)
            bytes = try await response.body.collect(upTo: Self.maximumBodyBytes)
        } catch {
            throw PlatformClientError.unreachable(server: server, reason: Self.describe(error))
        }
        let status = Int(response.status.code)
        let data = Data(bytes.readableBytesView)
        if (200..<300).contains(status) || acceptedStatuses.contains(status) {
            return PlatformResponse(url: url, status: status, body: data)
        }
        throw PlatformClientError.rejected(PlatformClientError.Rejection(server: server, path: path, status: status, body: data))
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("deadlineExceeded") || text.contains("connectTimeout") { return "timed out" }
        return text
    }
}
