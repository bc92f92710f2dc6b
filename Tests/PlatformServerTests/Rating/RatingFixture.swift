import Foundation
import Logging
@testable import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization

/// A policy evaluator whose snapshot a test swaps (a price appears) or makes stale.
final class SwappablePolicy: PolicyEvaluator {
    private let state: Mutex<PolicySnapshot?>

    init(_ snapshot: PolicySnapshot) { state = Mutex(snapshot) }

    /// The next snapshot; nil makes every financial write fail with `policy.stale`.
    func set(_ snapshot: PolicySnapshot?) { state.withLock { $0 = snapshot } }

    func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot {
        guard let snapshot = state.withLock({ $0 }) else { throw PlatformError(.policyStale, "the policy snapshot is stale (test)") }
        return snapshot
    }

    func read() async -> PolicyRead {
        PolicyRead(snapshot: state.withLock { $0 } ?? RatingFixture.snapshot(), age: .zero, stale: false)
    }
}

/// The rating worker over a migrated store (outbox, metering, billing), a usage log on a
/// manual clock, and a policy snapshot with a small price book.
struct RatingFixture: Sendable {
    static let units = UsageUnitRegistry(version: 2, units: [
        UsageUnitDefinition(unitId: "app-runtime-hour", owner: "apps", version: 1, precision: 3600, ratingCategory: .runtime,
                            lifecycle: .active, description: "runtime", display: "hours"),
        UsageUnitDefinition(unitId: "inference.token", owner: "token-factory", version: 1, precision: 1000, ratingCategory: .consumption,
                            lifecycle: .active, description: "tokens", display: "tokens"),
    ])
    /// $0.10 per app-runtime-hour, $0.002 per 1000 tokens.
    static let book = PriceBook(version: 7, currency: "USD", assetScale: 6, entries: [
        .init(plan: "*", unit: "app-runtime-hour", unitPrice: 100_000, effectiveFrom: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!),
        .init(plan: "*", unit: "inference.token", unitPrice: 2000, effectiveFrom: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!),
    ])
    static let start = Timestamp(rfc3339: "2026-12-01T06:00:00Z")!

    static func snapshot(id: String = "snap-1", book: PriceBook? = RatingFixture.book, prepaidTenants: [String] = []) -> PolicySnapshot {
        let prepaid = PolicyDefinition(policyKey: "billing.prepaid", scope: .tenant, type: .flag, default: .flag(false), description: "prepaid")
        return PolicySnapshot(
            id: id, version: 1, createdAt: start, definitions: ["billing.prepaid": prepaid],
            plans: ["plan.standard": PolicyPlan(planId: "plan.standard", description: "standard", values: [:])], defaultPlan: "plan.standard",
            overrides: prepaidTenants.map { PolicyOverride(target: .tenant($0), key: "billing.prepaid", value: .flag(true)) }, priceBook: book)
    }

    let store: SQLStore
    let clock: ManualClock
    let policy: SwappablePolicy
    let usage: UsageEventLog
    let worker: RatingWorker

    /// A runtime event of `seconds` for tenant `acme`, project `acme-ml`.
    static func runtime(_ id: String, seconds: Int64, tenant: String = "acme", at: Timestamp = start, corrects: String? = nil) -> UsageEvent {
        UsageEvent(source: "apps", id: id, unit: "app-runtime-hour", quantity: seconds, tenant: tenant, project: ProjectID("\(tenant)-ml"),
                   product: "apps", app: "notebook", instance: "inst-1", occurredAt: at, corrects: corrects)
    }

    func count(_ sql: SQLQueryString) async throws -> Int64 {
        try await store.read { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    func charges() async throws -> [RatedCharge] {
        try await store.read { db in try await db.raw("SELECT * FROM billing_rated_charges ORDER BY rated_ms, id").all().map(RatedChargeRows.decode) }
    }

    /// The sum of an account's postings (debit +, credit −).
    func posted(_ account: LedgerAccountID) async throws -> Int64 {
        try await store.read { db in
            try await db.raw("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM ledger_postings WHERE account_id = \(bind: account.rawValue)").first()?
                .decode(column: "n", as: Int64.self) ?? 0
        }
    }
}

func withRatingFixture<T>(_ backend: ServerBackend, snapshot: PolicySnapshot = RatingFixture.snapshot(),
                          storeLogger: Logger? = nil,
                          _ body: (RatingFixture) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let location: DatabaseLocation = switch backend {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
        let logger = Logger(label: "test.rating") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLStore.open(location, logger: storeLogger ?? logger)
        do {
            try await Migrator(store: store, sets: [OutboxSchema.migrations, MeteringSchema.migrations, BillingSchema.migrations],
                               logger: logger).migrate()
            let clock = ManualClock(start: RatingFixture.start)
            let policy = SwappablePolicy(snapshot)
            let usage = UsageEventLog(store: store, units: RatingFixture.units, lateWindow: .seconds(72 * 3600), now: { clock.now() })
            let worker = RatingWorker(store: store, policy: policy, units: RatingFixture.units, clock: clock, logger: logger)
            let result = try await body(RatingFixture(store: store, clock: clock, policy: policy, usage: usage, worker: worker))
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
