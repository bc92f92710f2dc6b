import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The metering module's durable usage-event table and its `UsageRecorder`.
///
/// `(source, id)` is the idempotency key: recording the same event again is a success and
/// stores nothing; the same key with another payload is ``ErrorCode/storeConflict``. Rating
/// into the ledger reads from this table (a later issue).
public struct UsageEventLog: UsageRecorder {
    let store: SQLStore

    /// Creates the log over the platform store.
    public init(store: SQLStore) {
        self.store = store
    }

    public func record(_ event: UsageEvent) async throws {
        try await store.transaction { db in
            if let existing = try await Self.find(source: event.source, id: event.id, db) {
                guard existing == event else {
                    throw PlatformError(.storeConflict, "usage event \(event.source)/\(event.id) was recorded with another payload",
                                        details: ["source": event.source, "id": event.id])
                }
                return
            }
            try await db.insert(into: "metering_usage_events")
                .columns("source", "id", "unit", "quantity", "project_id", "occurred_at", "recorded_at")
                .values(SQLBind(event.source), SQLBind(event.id), SQLBind(event.unit), SQLBind(event.quantity),
                        SQLBind(event.project.rawValue), SQLBind(event.occurredAt.rfc3339), SQLBind(Timestamp.now().rfc3339))
                .run()
        }
    }

    /// Every event of a project, oldest first (optionally one source's, optionally only ids
    /// starting with `idPrefix`: a range on the key, so the store reads only those rows).
    public func events(project: String, source: String? = nil, idPrefix: String? = nil) async throws -> [UsageEvent] {
        try await store.read { db in
            var query = db.select().columns("*").from("metering_usage_events").where("project_id", .equal, project)
                .orderBy("occurred_at").orderBy("id")
            if let source { query = query.where("source", .equal, source) }
            if let idPrefix, let last = idPrefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) {
                // [prefix, prefix with its last character incremented): every id that starts with prefix.
                query = query.where("id", .greaterThanOrEqual, idPrefix)
                    .where("id", .lessThan, String(idPrefix.unicodeScalars.dropLast()) + String(next))
            }
            return try await query.all().map(Self.event(from:))
        }
    }

    /// One `SUM` over the `(project_id, occurred_at)` index; timestamps are fixed-width
    /// RFC 3339 text, so text order is time order.
    public func total(project: String, unit: String, since: Timestamp) async throws -> Int64 {
        try await store.read { db in
            // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC.
            try await db.raw("""
                SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS total FROM metering_usage_events
                WHERE project_id = \(bind: project) AND occurred_at >= \(bind: since.rfc3339) AND unit = \(bind: unit)
                """).first()?.decode(column: "total", as: Int64.self) ?? 0
        }
    }

    static func find(source: String, id: String, _ db: any SQLDatabase) async throws -> UsageEvent? {
        try await db.select().columns("*").from("metering_usage_events").where("source", .equal, source).where("id", .equal, id)
            .first().map(event(from:))
    }

    static func event(from row: any SQLRow) throws -> UsageEvent {
        UsageEvent(source: try row.decode(column: "source", as: String.self), id: try row.decode(column: "id", as: String.self),
                   unit: try row.decode(column: "unit", as: String.self), quantity: try row.decode(column: "quantity", as: Int64.self),
                   project: ProjectID(try row.decode(column: "project_id", as: String.self)),
                   occurredAt: Timestamp(rfc3339: try row.decode(column: "occurred_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0))
    }
}

/// The `metering` module's tables.
public enum MeteringSchema {
    /// Migrations of the `metering` module.
    public static let migrations = MigrationSet(module: "metering", migrations: [
        Migration(version: 1, name: "create usage events", statements: [
            """
            CREATE TABLE metering_usage_events (
                source TEXT NOT NULL, id TEXT NOT NULL, unit TEXT NOT NULL, quantity BIGINT NOT NULL,
                project_id TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (source, id)
            )
            """,
            "CREATE INDEX metering_usage_events_project ON metering_usage_events (project_id, occurred_at)",
        ]),
    ])
}
