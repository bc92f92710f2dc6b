/// Receives the intents of one topic from an ``OutboxDispatcher``.
///
/// Returning marks the intent delivered; throwing schedules a retry with backoff (or
/// dead-letters it after the last attempt). Because delivery is at least once, a consumer
/// must be idempotent by ``OutboxIntent/id``: the same intent may arrive again after a
/// dispatcher crash or an expired claim, and the second arrival must change nothing.
public protocol OutboxConsumer: Sendable {
    /// Delivers one intent; throws when it did not (the error text becomes `last_error`).
    func deliver(_ intent: OutboxIntent) async throws
}
