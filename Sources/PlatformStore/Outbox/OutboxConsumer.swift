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

/// Thrown by a consumer when no retry can succeed: the receiver refused the event for good
/// (an SMTP 5xx, for example). The dispatcher dead-letters the intent at once, with this
/// reason as `last_error`, instead of spending its remaining attempts; an operator may still
/// retry it from dead letter once the cause is fixed.
public struct OutboxUndeliverable: Error, CustomStringConvertible, Sendable {
    /// Why, in words.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
