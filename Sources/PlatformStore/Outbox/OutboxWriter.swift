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

    /// Writes many notification events (topic ``NotificationEvent/topic``) on the caller's
    /// transaction in multi-row inserts: what a batch producer (the rating pass, hundreds of
    /// `usage.rated` notices) uses instead of one round trip per notice. The same dedupe rule as
    /// ``notify(_:dedupeKey:in:)``: an intent whose key already exists, or repeats an earlier
    /// key of the batch, is not written (`ON CONFLICT DO NOTHING`).
    public func notify(batch notices: [(event: NotificationEvent, dedupeKey: String?)], in db: any SQLDatabase) async throws {
        guard !notices.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let now = clock.now()
        let ms = Int64(now.millisecondsSinceEpoch)
        let columns = ["event_id", "topic", "payload", "created_at", "available_at", "attempts", "state", "dedupe_key"]
        var rows: [[any Encodable & Sendable]] = []
        for notice in notices {
            let json = String(decoding: try encoder.encode(notice.event), as: UTF8.self)
            rows.append([ULID(milliseconds: now.millisecondsSinceEpoch).description, NotificationEvent.topic, json, ms, ms, Int64(0),
                         OutboxState.pending.rawValue, notice.dedupeKey])
        }
        let perStatement = 1000
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = db.insert(into: OutboxSchema.table).columns(columns)
            for row in rows[start..<min(rows.count, start + perStatement)] { insert = insert.values(row) }
            try await insert.ignoringConflicts().run()
        }
    }

    /// Writes a notification event (topic ``NotificationEvent/topic``) on the caller's transaction.
    /// - Returns: The event id, or `nil` when `dedupeKey` was already written.
    @discardableResult
    public func notify(_ event: NotificationEvent, dedupeKey: String? = nil, in db: any SQLDatabase) async throws -> ULID? {
        try await enqueue(topic: NotificationEvent.topic, payload: event, dedupeKey: dedupeKey, in: db)
    }
}
