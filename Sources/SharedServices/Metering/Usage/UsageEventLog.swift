import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The metering module's durable usage-event table and its `UsageRecorder`.
///
/// `(source, id)` is the idempotency key: recording the same event again is a success and
/// stores nothing; the same key with another payload is `usage.event_conflict`. Every new
/// event is queued for rating (`metering_rating_queue`) in the transaction that stores it,
/// so usage stays buffered durably whatever the ledger writer is doing.
public struct UsageEventLog: UsageRecorder {
    let store: SQLStore
    /// The usage-unit registry every ingested event is validated against.
    let units: UsageUnitRegistry
    /// How far in the past an event may still be accepted (`--usage-late-window`); older
    /// events are refused with `usage.too_late` rather than silently rewriting history.
    let lateWindow: Duration
    /// The clock ingest validates `occurred_at` against (a parameter so tests can pin it).
    let now: @Sendable () -> Timestamp
    /// Called after a batch commits with at least one new event: wakes the rating worker so
    /// usage → rated lag is not bounded by its polling interval.
    let onIngest: @Sendable () -> Void

    /// Creates the log over the platform store.
    /// - Parameters:
    ///   - units: The usage-unit registry events are validated against.
    ///   - lateWindow: Events that happened longer ago than this are refused (`usage.too_late`).
    ///   - now: The clock.
    ///   - onIngest: Called after a batch that stored at least one new event commits.
    public init(store: SQLStore, units: UsageUnitRegistry, lateWindow: Duration, now: @escaping @Sendable () -> Timestamp = { .now() },
                onIngest: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.units = units
        self.lateWindow = lateWindow
        self.now = now
        self.onIngest = onIngest
    }

    /// Stores a batch atomically after ``UsageBatchValidator`` and the store's checks: a known
    /// `(source, id)` with the same payload is a `duplicate`, with another payload
    /// `usage.event_conflict`; `corrects` must name a stored event (or one earlier in the
    /// batch) of the same source and project, else `usage.correction_unknown`. Each new event
    /// and its rating-queue row are inserted in this one transaction. An event whose
    /// (tenant, period) statement is closed is `adjustment`: rating lands it on the open period.
    public func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport {
        let now = now()
        try UsageBatchValidator(units: units, lateWindowMs: UInt64(max(0, lateWindow.wholeMilliseconds)), now: now).check(events)
        let report = try await store.transaction { db in
            let existing = try await Self.find(events.map { ($0.source, $0.id) } + events.compactMap { event in event.corrects.map { (event.source, $0) } }, db)
            var results: [UsageIngestReport.Result] = []
            var fresh: [UsageEvent] = []
            var closed: [String: Bool] = [:]
            for event in events {
                if let stored = existing[Key(event.source, event.id)] {
                    guard stored == event else {
                        throw PlatformError(.usageEventConflict, "usage event \(event.source)/\(event.id) was recorded with another payload",
                                            details: ["source": event.source, "id": event.id])
                    }
                    results.append(.init(id: event.id, outcome: .duplicate))
                    continue
                }
                if let corrects = event.corrects {
                    let target = existing[Key(event.source, corrects)] ?? fresh.first { $0.source == event.source && $0.id == corrects }
                    guard let target, target.project == event.project, corrects != event.id else {
                        throw PlatformError(.usageCorrectionUnknown, "usage event \(event.source)/\(event.id) corrects \(corrects), "
                                            + "which is not a stored event of that source and project",
                                            details: ["source": event.source, "id": event.id, "corrects": corrects])
                    }
                }
                let period = BillingPeriod(containing: event.occurredAt).description
                let statementKey = event.tenant + "\u{0}" + period
                if closed[statementKey] == nil {
                    closed[statementKey] = try await db.select().column("period").from("billing_statements")
                        .where("tenant_id", .equal, event.tenant).where("period", .equal, period).first() != nil
                }
                fresh.append(event)
                results.append(.init(id: event.id, outcome: closed[statementKey] == true ? .adjustment : .accepted))
            }
            try await Self.insert(fresh, recordedAt: now, db)
            return UsageIngestReport(results: results)
        }
        if report.accepted > 0 { onIngest() }
        return report
    }

    /// Inserts events and their queue rows, a few rows per statement (one round trip per
    /// chunk keeps a batch of 100 cheap; the chunk stays far below SQLite's bind limit).
    static func insert(_ events: [UsageEvent], recordedAt now: Timestamp, _ db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: events.count, by: 50).map({ Array(events[$0..<min($0 + 50, events.count)]) }) {
            let rows = db.insert(into: "metering_usage_events")
                .columns("source", "id", "unit", "quantity", "project_id", "occurred_at", "recorded_at", "unit_version", "tenant_id",
                         "product", "app", "instance_id", "corrects")
            let queue = db.insert(into: "metering_rating_queue").columns("source", "id", "recorded_at", "recorded_ms")
            for event in chunk {
                rows.values(SQLBind(event.source), SQLBind(event.id), SQLBind(event.unit), SQLBind(event.quantity),
                            SQLBind(event.project.rawValue), SQLBind(event.occurredAt.rfc3339), SQLBind(now.rfc3339), SQLBind(event.unitVersion),
                            SQLBind(event.tenant), SQLBind(event.product), SQLBind(event.app), SQLBind(event.instance), SQLBind(event.corrects))
                queue.values(SQLBind(event.source), SQLBind(event.id), SQLBind(now.rfc3339), SQLBind(Int64(now.millisecondsSinceEpoch)))
            }
            try await rows.run()
            try await queue.run()
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

    /// One `SUM` over the `(project_id, unit, occurred_at)` index. `unit` may be a family:
    /// `gpu-hour` also sums every `gpu-hour.<model>` (the unit range `[gpu-hour., gpu-hour/)`,
    /// so the index still serves it). An event a later one corrects counts only through its
    /// correction. Timestamps are fixed-width RFC 3339 text, so text order is time order.
    public func total(project: String, unit: String, since: Timestamp) async throws -> Int64 {
        try await store.read { db in
            // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC.
            try await db.raw("""
                SELECT CAST(COALESCE(SUM(e.quantity), 0) AS BIGINT) AS total FROM metering_usage_events e
                WHERE e.project_id = \(bind: project) AND (e.unit = \(bind: unit)
                    OR (e.unit >= \(bind: unit + ".") AND e.unit < \(bind: unit + "/")))
                  AND e.occurred_at >= \(bind: since.rfc3339)
                  AND NOT EXISTS (SELECT 1 FROM metering_usage_events c WHERE c.source = e.source AND c.corrects = e.id)
                """).first()?.decode(column: "total", as: Int64.self) ?? 0
        }
    }

    /// A stored event's key.
    struct Key: Hashable {
        let source: String
        let id: String
        init(_ source: String, _ id: String) {
            self.source = source
            self.id = id
        }
    }

    /// The stored events among `keys`, one `IN` query per source and chunk.
    static func find(_ keys: [(String, String)], _ db: any SQLDatabase) async throws -> [Key: UsageEvent] {
        var found: [Key: UsageEvent] = [:]
        for (source, ids) in Dictionary(grouping: keys, by: \.0).mapValues({ Array(Set($0.map(\.1))).sorted() }) {
            for start in stride(from: 0, to: ids.count, by: 200) {
                let chunk = ids[start..<min(start + 200, ids.count)]
                for row in try await db.select().columns("*").from("metering_usage_events").where("source", .equal, source)
                    .where("id", .in, Array(chunk)).all() {
                    let event = try event(from: row)
                    found[Key(event.source, event.id)] = event
                }
            }
        }
        return found
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
