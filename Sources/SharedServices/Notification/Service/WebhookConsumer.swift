import Foundation
import Logging
import NIOCore
import PlatformContracts
import PlatformStore
import SQLKit

/// The consumer of topic ``NotificationTopics/webhook``: one signed POST per intent.
///
/// The endpoint's URL and secret are read at each attempt (a removed endpoint is not called;
/// a disabled one is not called again). The `webhook-id` is the intent's stored message id and
/// the body its stored text, so every retry carries the same id and bytes and the receiver
/// deduplicates; only `webhook-timestamp` (and so the signature) is of this attempt. The
/// delivery outcomes map onto the outbox: 2xx completes, 410 Gone disables the endpoint
/// (Standard Webhooks) and completes, anything else throws so the dispatcher backs off.
public struct WebhookConsumer: OutboxConsumer {
    let store: SQLStore
    let clock: any PlatformClock
    let timeout: Duration
    let logger: Logger

    /// Creates the consumer.
    /// - Parameter timeout: One attempt's limit (connect, request and answer).
    public init(store: SQLStore, clock: any PlatformClock, timeout: Duration = .seconds(10), logger: Logger) {
        self.store = store
        self.clock = clock
        self.timeout = timeout
        self.logger = logger
    }

    public func deliver(_ intent: OutboxIntent) async throws {
        let payload: WebhookIntent
        do {
            payload = try JSONDecoder().decode(WebhookIntent.self, from: Data(intent.payload.utf8))
        } catch {
            throw PlatformError(.configInvalid, "webhook intent \(intent.id) does not decode: \(error)")
        }
        guard let row = try await store.read({ db in try await WebhookRows.find(payload.endpoint, in: db) }),
              row.endpoint.disabledAt == nil else {
            logger.info("webhook endpoint removed or disabled; delivery dropped",
                        metadata: ["event": "\(intent.id)", "endpoint": "\(payload.endpoint)"])
            return
        }
        let secret = try WebhookSecret(row.secret)
        let delivery = WebhookDelivery(
            signer: StandardWebhookSigner(secrets: [secret]), timeout: .milliseconds(timeout.wholeMilliseconds))
        let result = await delivery.deliver(
            to: row.endpoint.url, id: payload.messageId, body: Array(payload.body.utf8),
            timestamp: Int64(clock.now().millisecondsSinceEpoch / 1000))
        switch result {
        case .delivered:
            return
        case .disabled(let status):
            let now = clock.nowMilliseconds()
            try await store.transaction { db in
                try await db.raw("""
                    UPDATE notification_webhooks SET disabled_at = \(bind: now),
                      disabled_reason = \(bind: "the endpoint answered \(status) Gone")
                    WHERE id = \(bind: payload.endpoint) AND disabled_at IS NULL
                    """).run()
            }
            logger.notice("webhook endpoint disabled by its receiver", metadata: [
                "endpoint": "\(payload.endpoint)", "project": "\(row.endpoint.project)", "status": "\(status)",
            ])
        case .retryable(let status, let reason):
            throw WebhookAttemptFailed(status: status, reason: reason)
        }
    }
}

/// A webhook attempt that should be retried; its text becomes the intent's `last_error`.
public struct WebhookAttemptFailed: Error, CustomStringConvertible, Sendable {
    /// The HTTP status, when one came.
    public var status: Int?
    /// Why, in words.
    public var reason: String

    public var description: String { "webhook delivery failed: \(reason)" }
}
