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
    @discardableResult
    public func enqueue(topic: String, payload: some Encodable, in db: any SQLDatabase) async throws -> ULID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        return try await enqueue(topic: topic, json: json, in: db)
    }

    /// Writes one pending intent whose payload is already JSON text.
    @discardableResult
    public func enqueue(topic: String, json: String, in db: any SQLDatabase) async throws -> ULID {
        let now = clock.now()
        let id = ULID(milliseconds: now.millisecondsSinceEpoch)
        let ms = Int64(now.millisecondsSinceEpoch)
        try await db.insert(into: OutboxSchema.table)
            .columns("event_id", "topic", "payload", "created_at", "available_at", "attempts", "state")
            .values(SQLBind(id.description), SQLBind(topic), SQLBind(json), SQLBind(ms), SQLBind(ms),
                    SQLBind(Int64(0)), SQLBind(OutboxState.pending.rawValue))
            .run()
        return id
    }
}
