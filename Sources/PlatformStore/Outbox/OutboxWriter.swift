import Foundation
import PlatformContracts
import SQLKit

/// Enqueues events on the caller's own transaction: a module writes its state change and
/// the event announcing it through the same `SQLDatabase`, so a rollback discards both and a
/// commit makes both durable. That is what lets the dispatcher deliver at least once without
/// ever announcing a change that did not happen.
///
/// ```swift
/// try await store.transaction { db in
///     try await markFailed(instance, in: db)
///     try await outbox.enqueue(topic: "instance.failed", payload: InstanceFailed(id: instance), in: db)
/// }
/// ```
public struct OutboxWriter: Sendable {
    private let clock: any PlatformClock

    /// Creates a writer.
    /// - Parameter clock: Stamps `created_at` and the event id's time part.
    public init(clock: any PlatformClock = SystemClock()) {
        self.clock = clock
    }

    /// Writes one pending intent, due now, and returns its event id.
    /// - Parameters:
    ///   - topic: Selects the consumer (`instance.failed`).
    ///   - payload: Encoded as JSON (sorted keys, so equal payloads are equal text).
    ///   - db: The caller's transaction (``SQLStore/transaction(_:)``), never a fresh one.
    ///   - dedupeKey: Names the event for producers that may write it twice (a scan that runs
    ///     again, a consumer fanning out after a retry): a second intent with the same key is
    ///     not written. `nil` never collides.
    /// - Returns: The event id, or `nil` when an intent with `dedupeKey` already exists.
    @discardableResult
    public func enqueue(topic: String, payload: some Encodable, dedupeKey: String? = nil, in db: any SQLDatabase) async throws -> ULID? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        return try await enqueue(topic: topic, json: json, dedupeKey: dedupeKey, in: db)
    }

    /// Writes one pending intent whose payload is already JSON text.
    /// - Returns: The event id, or `nil` when an intent with `dedupeKey` already exists.
    @discardableResult
    public func enqueue(topic: String, json: String, dedupeKey: String? = nil, in db: any SQLDatabase) async throws -> ULID? {
        let now = clock.now()
        let id = ULID(milliseconds: now.millisecondsSinceEpoch)
        let ms = Int64(now.millisecondsSinceEpoch)
        let rows = try await db.raw("""
            INSERT INTO \(ident: OutboxSchema.table)
              (event_id, topic, payload, created_at, available_at, attempts, state, dedupe_key)
            VALUES (\(bind: id.description), \(bind: topic), \(bind: json), \(bind: ms), \(bind: ms), \(bind: Int64(0)),
                    \(bind: OutboxState.pending.rawValue), \(bind: dedupeKey))
            ON CONFLICT DO NOTHING RETURNING event_id
            """).all()
        return rows.isEmpty ? nil : id
    }

    /// Writes a notification event (topic ``NotificationEvent/topic``) on the caller's transaction.
    /// - Returns: The event id, or `nil` when `dedupeKey` was already written.
    @discardableResult
    public func notify(_ event: NotificationEvent, dedupeKey: String? = nil, in db: any SQLDatabase) async throws -> ULID? {
        try await enqueue(topic: NotificationEvent.topic, payload: event, dedupeKey: dedupeKey, in: db)
    }
}
