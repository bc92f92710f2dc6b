import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What one webhook attempt came to, in the terms an outbox consumer needs: done, stop for
/// good, or try again later.
public enum WebhookDeliveryResult: Sendable, Equatable {
    /// The endpoint answered 2xx: the event is delivered.
    case delivered(status: Int)
    /// The endpoint answered 410 Gone: Standard Webhooks says to disable it, so the event
    /// goes to dead letter and no further attempt is made.
    case disabled(status: Int)
    /// Any other answer (3xx, 4xx, 5xx), a refused connection or a timeout: retry with backoff.
    /// `status` is nil when no HTTP answer came.
    case retryable(status: Int?, reason: String)

    /// Classifies an HTTP status (redirects are not followed, so they are failures too).
    public static func classify(status: Int) -> WebhookDeliveryResult {
        switch status {
        case 200..<300: .delivered(status: status)
        case 410: .disabled(status: status)
        default: .retryable(status: status, reason: "endpoint answered \(status)")
        }
    }
}

/// Delivers one event to one webhook endpoint: a JSON POST signed per Standard Webhooks.
///
/// One attempt per call; retries, backoff and dead letter belong to the outbox consumer,
/// which maps ``WebhookDeliveryResult`` onto them. Redirects are not followed: a signed
/// event goes only where its endpoint was registered.
public struct WebhookDelivery: Sendable {
    /// The process's webhook client: no redirects, a short connect timeout; like
    /// `HTTPClient.shared` it lives as long as the process, so it needs no shutdown.
    public static let sharedClient: HTTPClient = {
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)), decompression: .disabled)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let client: HTTPClient
    let signer: StandardWebhookSigner
    let timeout: TimeAmount

    /// A delivery channel signing with `signer`, giving each attempt `timeout` overall.
    public init(signer: StandardWebhookSigner, timeout: TimeAmount = .seconds(10), client: HTTPClient = WebhookDelivery.sharedClient) {
        self.client = client
        self.signer = signer
        self.timeout = timeout
    }

    /// POSTs `body` (JSON, sent exactly as signed) to `url` as event `id`, stamped `timestamp`
    /// (Unix seconds, this attempt's time), and classifies the answer. Never throws: every
    /// transport failure is a retryable result.
    public func deliver(to url: String, id: String, body: [UInt8], timestamp: Int64 = Int64(Date().timeIntervalSince1970)) async -> WebhookDeliveryResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for field in signer.headers(id: id, timestamp: timestamp, body: body).fields {
            request.headers.add(name: field.name, value: field.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            // Drain (bounded) so the connection returns to the pool; the content is not used.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return .classify(status: Int(response.status.code))
        } catch {
            return .retryable(status: nil, reason: String(describing: error))
        }
    }
}
