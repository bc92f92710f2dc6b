import PlatformContracts

/// One event as the dispatcher hands it to a consumer.
///
/// Delivery is at least once: a dispatcher that crashes after its consumer succeeded but
/// before it recorded that, or whose claim expired mid-delivery, lets another dispatcher
/// deliver the same intent again. ``id`` is stable across those deliveries, so consumers
/// deduplicate by it (for example a unique key on the event id, or the `webhook-id` header).
public struct OutboxIntent: Sendable, Hashable {
    /// The event id, a ULID chosen when the event was written; the idempotency key.
    public let id: ULID
    /// What kind of event it is (`instance.failed`); selects the consumer.
    public let topic: String
    /// The event body as JSON text.
    public let payload: String
    /// When the producing transaction wrote it.
    public let createdAt: Timestamp
    /// Deliveries tried before this one (0 on the first).
    public let attempts: Int

    /// Creates an intent (the dispatcher reads them from the table).
    public init(id: ULID, topic: String, payload: String, createdAt: Timestamp, attempts: Int) {
        self.id = id
        self.topic = topic
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
    }
}
