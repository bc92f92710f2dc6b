/// Where an intent is in its life. Stored as its raw value in `outbox_intents.state`.
public enum OutboxState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for delivery (first try or a retry after backoff).
    case pending
    /// A consumer accepted it; it is never handed out again.
    case delivered
    /// It failed the maximum number of attempts; it waits for an operator's retry.
    case dead
}
