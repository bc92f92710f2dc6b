import Foundation
import Logging
import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization
import Testing

/// The usage-event log's batch ingest on both databases: every refusal with its code and
/// nothing stored, idempotency by (source, id), corrections, adjustments for closed periods,
/// the rating queue written with each event, and family totals.
@Suite("UsageEventLog v2")
struct UsageBatchIngestTests {
    /// An hour into a month, so the previous period is inside the late window.
    static let now = Timestamp(rfc3339: "2026-12-01T01:00:00.000Z")!
    static let units = UsageUnitRegistry(version: 2, units: [
        unit("gpu-hour", owner: "apps", category: .gpu),
        unit("gpu-hour.h100", owner: "apps", category: .gpu),
        unit("gpu-hour.unspecified", owner: "apps", category: .gpu),
        unit("app-runtime-hour", owner: "apps", category: .runtime),
        unit("inference.token", owner: "token-factory", category: .consumption, version: 2, precision: 1000),
        unit("old.unit", owner: "apps", category: .runtime, lifecycle: .retired),
        unit("gpu.second", owner: "apps", category: .gpu, precision: 1, lifecycle: .deprecated),
    ])

    static func unit(_ id: String, owner: String, category: RatingCategory, version: Int = 1, precision: Int64 = 3600,
                     lifecycle: UsageUnitLifecycle = .active) -> UsageUnitDefinition {
        UsageUnitDefinition(unitId: id, owner: owner, version: version, precision: precision, ratingCategory: category,
                            lifecycle: lifecycle, description: id, display: id)
    }

    static func event(_ id: String, unit: String = "gpu-hour.h100", quantity: Int64 = 60, source: String = "apps", version: Int = 1,
                      project: String = "P1", at: Timestamp = now, corrects: String? = nil) -> UsageEvent {
        UsageEvent(source: source, id: id, unit: unit, unitVersion: version, quantity: quantity, tenant: "T1", project: ProjectID(project),
                   product: source, occurredAt: at, corrects: corrects)
    }

    /// A log over a fresh store of `backend` with the metering and billing schemas.
    static func withLog(_ backend: ServerBackend, onIngest: @escaping @Sendable () -> Void = {},
                        _ body: (UsageEventLog, SQLStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory async throws in
            let location = try await backend.databaseURL().map { try DatabaseLocation(url: $0) }
                ?? .sqlite(path: directory.appending("usage.db").path)
            let store = try await SQLStore.open(location, logger: Logger(label: "test"))
            do {
                try await Migrator(store: store, sets: [MeteringSchema.migrations, BillingSchema.migrations], logger: Logger(label: "test")).migrate()
                try await body(UsageEventLog(store: store, units: units, lateWindow: .seconds(72 * 3600), now: { now }, onIngest: onIngest), store)
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }

    static func count(_ table: String, _ store: SQLStore) async throws -> Int {
        try await store.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Runs `body`, expecting a refusal with `code`, and checks nothing of the batch was stored.
    static func refused(_ code: ErrorCode, _ store: SQLStore, _ body: () async throws -> Void) async throws {
        let before = try await count("metering_usage_events", store)
        let error = await #expect(throws: PlatformError.self) { try await body() }
        #expect(error?.code == code, "\(error?.description ?? "no error")")
        #expect(try await count("metering_usage_events", store) == before)
    }

    @Test("an invalid batch is refused whole with its code: size, duplicate ids, units (unknown, retired, deprecated, family, version, owner), quantity, clock, late window",
          arguments: ServerBackend.enabled)
    func invalidBatchesAreRefusedWhole(backend: ServerBackend) async throws {
        try await Self.withLog(backend) { log, store in
            let good = Self.event("good")
            try await Self.refused(.usageBatchInvalid, store) { _ = try await log.ingest((0...1000).map { Self.event("e\($0)") }) }
            try await Self.refused(.usageBatchInvalid, store) { _ = try await log.ingest([good, Self.event("d"), Self.event("d")]) }
            try await Self.refused(.usageUnitUnknown, store) { _ = try await log.ingest([good, Self.event("u", unit: "gpu-hour.b200")]) }
            try await Self.refused(.usageUnitUnknown, store) { _ = try await log.ingest([good, Self.event("r", unit: "old.unit")]) }
            try await Self.refused(.usageUnitUnknown, store) { _ = try await log.ingest([good, Self.event("f", unit: "gpu-hour")]) }
            // A deprecated unit has no price: accepting it would leave it queued for rating for ever.
            try await Self.refused(.usageUnitUnknown, store) { _ = try await log.ingest([good, Self.event("dep", unit: "gpu.second")]) }
            try await Self.refused(.usageUnitUnknown, store) {
                _ = try await log.ingest([Self.event("v", unit: "inference.token", source: "token-factory", version: 1)])
            }
            try await Self.refused(.usageUnitNotOwned, store) {
                _ = try await log.ingest([Self.event("o", unit: "inference.token", source: "apps", version: 2)])
            }
            try await Self.refused(.usageBatchInvalid, store) { _ = try await log.ingest([good, Self.event("n", quantity: -1)]) }
            let future = Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch + 5 * 60_000 + 1)
            try await Self.refused(.usageBatchInvalid, store) { _ = try await log.ingest([good, Self.event("t", at: future)]) }
            let late = Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch - 72 * 3_600_000 - 1)
            try await Self.refused(.usageTooLate, store) { _ = try await log.ingest([good, Self.event("l", at: late)]) }

            // At the edges: exactly 5 minutes ahead and exactly the late window back are accepted.
            let edge = [Self.event("ahead", at: Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch + 5 * 60_000)),
                        Self.event("behind", at: Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch - 72 * 3_600_000)),
                        Self.event("tokens", unit: "inference.token", quantity: 1_500, source: "token-factory", version: 2)]
            #expect(try await log.ingest(edge).results.map(\.outcome) == [.accepted, .accepted, .accepted])
        }
    }

    @Test("a batch is idempotent by (source, id): duplicates are no-ops with no second queue row; another payload is usage.event_conflict and the batch stores nothing",
          arguments: ServerBackend.enabled)
    func idempotentByKeyAndConflictRollsBack(backend: ServerBackend) async throws {
        let ingests = Mutex(0)
        try await Self.withLog(backend, onIngest: { ingests.withLock { $0 += 1 } }) { log, store in
            let batch = (0..<100).map { Self.event("e\($0)") }
            #expect(try await log.ingest(batch).accepted == 100)
            #expect(try await Self.count("metering_rating_queue", store) == 100)
            let again = try await log.ingest(batch)
            #expect(again.duplicates == 100 && again.accepted == 0)
            #expect(try await Self.count("metering_rating_queue", store) == 100)
            #expect(ingests.withLock { $0 } == 1)

            var changed = Self.event("e7")
            changed.quantity = 61
            try await Self.refused(.usageEventConflict, store) { _ = try await log.ingest([Self.event("new"), changed]) }
            // The same key from another source is another event.
            #expect(try await log.ingest([Self.event("e7", unit: "inference.token", source: "token-factory", version: 2)]).accepted == 1)
            #expect(ingests.withLock { $0 } == 2)
        }
    }

    @Test("a correction must name a stored event (or one earlier in the batch) of its source and project; totals count a corrected event once, through its correction",
          arguments: ServerBackend.enabled)
    func correctionsMustExistAndCountOnce(backend: ServerBackend) async throws {
        try await Self.withLog(backend) { log, store in
            try await log.record(Self.event("a", quantity: 100))
            try await Self.refused(.usageCorrectionUnknown, store) { _ = try await log.ingest([Self.event("a2", quantity: 40, corrects: "zzz")]) }
            try await Self.refused(.usageCorrectionUnknown, store) {
                _ = try await log.ingest([Self.event("a2", quantity: 40, project: "P2", corrects: "a")])
            }
            try await Self.refused(.usageCorrectionUnknown, store) {
                _ = try await log.ingest([Self.event("x", unit: "inference.token", source: "token-factory", version: 2, corrects: "a")])
            }
            #expect(try await log.ingest([Self.event("a2", quantity: 40, corrects: "a"), Self.event("b", quantity: 7),
                                          Self.event("b2", quantity: 9, corrects: "b")]).accepted == 3)
            try await log.record(Self.event("run", unit: "app-runtime-hour", quantity: 1000))
            try await log.record(Self.event("other-model", unit: "gpu-hour.unspecified", quantity: 5))
            let since = Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch - 1000)
            #expect(try await log.total(project: "P1", unit: "gpu-hour", since: since) == 40 + 9 + 5)
            #expect(try await log.total(project: "P1", unit: "gpu-hour.h100", since: since) == 40 + 9)
            #expect(try await log.total(project: "P1", unit: "app-runtime-hour", since: since) == 1000)
            #expect(try await log.total(project: "P1", unit: "gpu-hour", since: Timestamp(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch + 1)) == 0)
        }
    }

    @Test("an event of a (tenant, period) whose statement is closed is accepted as an adjustment, never rewriting the closed period",
          arguments: ServerBackend.enabled)
    func eventOfAClosedPeriodIsAnAdjustment(backend: ServerBackend) async throws {
        try await Self.withLog(backend) { log, store in
            let october = Timestamp(millisecondsSinceEpoch: BillingPeriod(containing: Self.now).start.millisecondsSinceEpoch - 1000)
            try await store.transaction { db in
                try await db.insert(into: "billing_statements").columns("tenant_id", "period", "closed_at", "closed_by", "document", "digest")
                    .values(SQLBind("T1"), SQLBind(BillingPeriod(containing: october).description), SQLBind(Self.now.rfc3339), SQLBind("test"),
                            SQLBind("{}"), SQLBind("d")).run()
            }
            let report = try await log.ingest([Self.event("late", at: october), Self.event("current")])
            #expect(report.results.map(\.outcome) == [.adjustment, .accepted])
            #expect(try await log.ingest([Self.event("late", at: october)]).results.map(\.outcome) == [.duplicate])
        }
    }
}
