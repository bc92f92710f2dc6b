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

    public func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport {
        try await store.transaction { db in
            var results: [UsageIngestReport.Result] = []
            for event in events {
                if let existing = try await Self.find(source: event.source, id: event.id, db) {
                    guard existing == event else {
                        throw PlatformError(.usageEventConflict, "usage event \(event.source)/\(event.id) was recorded with another payload",
                                            details: ["source": event.source, "id": event.id])
                    }
                    results.append(.init(id: event.id, outcome: .duplicate))
                    continue
                }
                let now = Timestamp.now()
                try await db.insert(into: "metering_usage_events")
                    .columns("source", "id", "unit", "quantity", "project_id", "occurred_at", "recorded_at", "unit_version", "tenant_id",
                             "product", "app", "instance_id", "corrects")
                    .values(SQLBind(event.source), SQLBind(event.id), SQLBind(event.unit), SQLBind(event.quantity),
                            SQLBind(event.project.rawValue), SQLBind(event.occurredAt.rfc3339), SQLBind(now.rfc3339), SQLBind(event.unitVersion),
                            SQLBind(event.tenant), SQLBind(event.product), SQLBind(event.app), SQLBind(event.instance), SQLBind(event.corrects))
                    .run()
                try await db.insert(into: "metering_rating_queue").columns("source", "id", "recorded_at", "recorded_ms")
                    .values(SQLBind(event.source), SQLBind(event.id), SQLBind(now.rfc3339), SQLBind(Int64(now.millisecondsSinceEpoch)))
                    .run()
                results.append(.init(id: event.id, outcome: .accepted))
            }
            return UsageIngestReport(results: results)
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
                   unit: try row.decode(column: "unit", as: String.self), unitVersion: try row.decode(column: "unit_version", as: Int.self),
                   quantity: try row.decode(column: "quantity", as: Int64.self), tenant: try row.decode(column: "tenant_id", as: String.self),
                   project: ProjectID(try row.decode(column: "project_id", as: String.self)),
                   product: try row.decode(column: "product", as: String.self), app: try row.decode(column: "app", as: String?.self),
                   instance: try row.decode(column: "instance_id", as: String?.self),
                   occurredAt: Timestamp(rfc3339: try row.decode(column: "occurred_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0),
                   corrects: try row.decode(column: "corrects", as: String?.self))
    }
}
