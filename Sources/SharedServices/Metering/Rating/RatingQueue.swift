import PlatformContracts
import PlatformStore
import SQLKit

/// `metering_rating_queue`: one row per stored event not yet rated. The usage log inserts it
/// in the event's transaction; rating deletes it in the transaction that posts the charge.
enum RatingQueue {
    /// A claimed event.
    struct Item: Sendable {
        var event: UsageEvent
        var recordedMs: Int64
        var key: String { "\(event.source)/\(event.id)" }
    }

    /// The next events to rate, fewest attempts first and then oldest, so rows that keep
    /// failing (no price yet) do not starve newer usage. PostgreSQL: `FOR UPDATE SKIP LOCKED`,
    /// so another replica's pass never waits on, or rates, the same rows.
    static func claim(limit: Int, in db: any SQLDatabase, backend: StoreBackend) async throws -> [Item] {
        let rows = try await db.raw("""
            SELECT q.recorded_ms AS queued_ms, e.* FROM metering_rating_queue q
            JOIN metering_usage_events e ON e.source = q.source AND e.id = q.id
            ORDER BY q.attempts, q.recorded_ms, q.source, q.id LIMIT \(bind: limit)
            \(unsafeRaw: backend == .postgres ? "FOR UPDATE OF q SKIP LOCKED" : "")
            """).all()
        return try rows.map { row in
            Item(event: try UsageEventLog.event(from: row), recordedMs: try row.decode(column: "queued_ms", as: Int64.self))
        }
    }

    /// Whether `source`/`id` is still waiting, and since when (ms).
    static func queuedSince(source: String, id: String, in db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT recorded_ms FROM metering_rating_queue WHERE source = \(bind: source) AND id = \(bind: id)").first()?
            .decode(column: "recorded_ms", as: Int64.self)
    }

    /// Removes a rated event's row (in the rating transaction).
    static func remove(source: String, id: String, in db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM metering_rating_queue WHERE source = \(bind: source) AND id = \(bind: id)").run()
    }

    /// Leaves the row queued, counting the attempt and saying why.
    static func markWaiting(source: String, id: String, reason: String, in db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE metering_rating_queue SET attempts = attempts + 1, last_error = \(bind: reason)
            WHERE source = \(bind: source) AND id = \(bind: id)
            """).run()
    }
}
