import Foundation
@testable import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Issue 19's property test: random usage streams — duplicates, re-sent batches in another
/// order, conflicting re-sends, late and too-late events, corrections, closed statements,
/// credit grants, rating passes of random sizes (two at once, and beside ingest) and crashes
/// injected inside the rating transaction (between rating and posting, between posting and
/// the queue delete) — against ``LedgerReferenceModel``. After every crash and at random
/// points `verify()` must pass; at the end, once the queue drains, every event is billed
/// exactly once at the model's price and every total equals the model's.
///
/// Each seed prints itself; `LEDGER_PROPERTY_SEED=<n>` replays one, `LEDGER_PROPERTY_RUNS=<k>`
/// runs k seeds from a random start.
@Suite("Ledger property: random usage streams against a reference model", .serialized)
struct LedgerPropertyTests {
    static let units = UsageUnitRegistry(version: 2, units: [
        UsageUnitDefinition(unitId: "app-runtime-hour", owner: "apps", version: 1, precision: 3600, ratingCategory: .runtime,
                            lifecycle: .active, description: "runtime", display: "hours"),
        UsageUnitDefinition(unitId: "gpu-hour.h100", owner: "apps", version: 1, precision: 3600, ratingCategory: .gpu,
                            lifecycle: .active, description: "gpu", display: "GPU-hours"),
        UsageUnitDefinition(unitId: "inference.token", owner: "token-factory", version: 1, precision: 1000, ratingCategory: .consumption,
                            lifecycle: .active, description: "tokens", display: "tokens"),
    ])
    static let lateWindow: Duration = .seconds(72 * 3600)
    /// 2026-12-01T06:00:00Z: the late window reaches back into November, so a closed
    /// November statement turns later November usage into adjustments.
    static let start = Timestamp(rfc3339: "2026-12-01T06:00:00Z")!
    /// tenant → projects; `prepaid-co` pays in advance.
    static let projects: [(tenant: String, project: String)] = [("acme", "acme-ml"), ("acme", "acme-web"), ("prepaid-co", "pc-train")]

    static var seeds: [UInt64] {
        let env = ProcessInfo.processInfo.environment
        if let one = env["LEDGER_PROPERTY_SEED"].flatMap(UInt64.init) { return [one] }
        if let runs = env["LEDGER_PROPERTY_RUNS"].flatMap(Int.init) {
            let base = UInt64.random(in: 1...UInt64(UInt32.max))
            return (0..<UInt64(runs)).map { base + $0 }
        }
        return [11, 23, 37, 41]
    }

    @Test("random streams keep every invariant and match the model", arguments: ServerBackend.enabled)
    func randomStreamsKeepEveryInvariantAndMatchTheModel(_ backend: ServerBackend) async throws {
        for seed in Self.seeds {
            print("ledger property: seed \(seed) on \(backend.rawValue) (replay: LEDGER_PROPERTY_SEED=\(seed))")
            try await withLedgerStore(backend) { ledger in
                var run = try await PropertyRun(seed: seed, ledger: ledger)
                do {
                    try await run.play(steps: 90)
                    try await run.drainAndCompare()
                } catch {
                    Issue.record("seed \(seed) on \(backend.rawValue): \(String(reflecting: error))")
                }
            }
        }
    }
}

/// One seeded run: the store under test, the model, and the generator.
struct PropertyRun {
    let seed: UInt64
    let ledger: LedgerFixture
    let clock: ManualClock
    let log: UsageEventLog
    let billing: BillingService
    var rng: SplitMix64
    var model: LedgerReferenceModel
    var batches: [[UsageEvent]] = []
    var nextId = 0
    var grants = 0
    var closedAt: [String: Int64] = [:]
    var crashes = 0

    init(seed: UInt64, ledger: LedgerFixture) async throws {
        self.seed = seed
        self.ledger = ledger
        let clock = ManualClock(start: LedgerPropertyTests.start)
        self.clock = clock
        log = UsageEventLog(store: ledger.store, units: LedgerPropertyTests.units, lateWindow: LedgerPropertyTests.lateWindow,
                            now: { clock.now() })
        billing = BillingService(store: ledger.store, policy: LedgerPolicy.fixed(prepaidTenants: ["prepaid-co"]), audit: RecordingAuditor(),
                                 clock: clock, logger: ledger.logger)
        rng = SplitMix64(seed: seed)
        model = LedgerReferenceModel(units: LedgerPropertyTests.units, lateWindowMs: 72 * 3600 * 1000)
    }

    var comment: Comment { "seed \(seed) on \(ledger.backend.rawValue)" }

    func worker(batchSize: Int) -> RatingWorker {
        RatingWorker(store: ledger.store, policy: LedgerPolicy.fixed(prepaidTenants: ["prepaid-co"]), units: LedgerPropertyTests.units,
                     batchSize: batchSize, clock: clock, logger: ledger.logger)
    }

    mutating func play(steps: Int) async throws {
        for _ in 0..<steps {
            await clock.advance(by: .milliseconds(Int64(rng.below(5000)) + 1))
            switch rng.below(100) {
            case 0..<30: try await ingest(freshBatch(duplicates: rng.below(3) == 0))
            case 30..<36: if let old = batches.randomElement(using: &rng) { try await ingest(old.shuffled(using: &rng)) }
            case 36..<41: try await conflictingResend()
            case 41..<45: try await ingest(freshBatch(duplicates: false) + [event(occurredAgo: 73 * 3600 * 1000 + rng.below(3_600_000))])
            case 45..<55: try await ingest(corrections() + freshBatch(duplicates: false, count: rng.below(3)))
            case 55..<72: try await rate(concurrently: rng.below(4) == 0)
            case 72..<80: try await crashInsideRating()
            case 80..<84: try await grantCredit()
            case 84..<88: try await BalanceRollup(store: ledger.store, clock: clock, logger: ledger.logger).foldAll()
            case 88..<93: try await expectVerified()
            case 93..<96: try await closePreviousPeriod()
            default: try await ingestWhileRating()
            }
        }
    }

    // MARK: Generator

    mutating func event(occurredAgo ms: UInt64, corrects: (LedgerReferenceModel.Key, UsageEvent)? = nil) -> UsageEvent {
        nextId += 1
        let (tenant, project) = corrects.map { ($0.1.tenant, $0.1.project.rawValue) }
            ?? LedgerPropertyTests.projects[Int(rng.below(UInt64(LedgerPropertyTests.projects.count)))]
        let unit = corrects?.1.unit ?? ["app-runtime-hour", "gpu-hour.h100", "inference.token"][Int(rng.below(3))]
        let source = unit == "inference.token" ? "token-factory" : "apps"
        let quantity = Int64(rng.below(unit == "inference.token" ? 50_000 : 7200))
        return UsageEvent(source: source, id: "e\(nextId)", unit: unit, quantity: quantity, tenant: tenant, project: ProjectID(project),
                          product: source, app: source == "apps" ? "trainer" : nil,
                          occurredAt: Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch - ms), corrects: corrects?.0.id)
    }

    /// Fresh events (most within the last hours, some days late but inside the window), with
    /// stored ones mixed in as same-payload duplicates, in random order.
    mutating func freshBatch(duplicates: Bool, count: UInt64? = nil) -> [UsageEvent] {
        var batch: [UsageEvent] = []
        for _ in 0..<(count ?? (rng.below(12) + 1)) {
            let late = rng.below(5) == 0
            batch.append(event(occurredAgo: late ? rng.below(71 * 3600 * 1000) : rng.below(3_600_000)))
        }
        if duplicates {
            for key in model.order.shuffled(using: &rng).prefix(Int(rng.below(4))) { batch.append(model.events[key]!) }
        }
        return batch.shuffled(using: &rng)
    }

    /// Corrections of up to three chains recorded in earlier batches, each naming a random
    /// member of its chain (rating reverses whatever charge is in effect).
    mutating func corrections() -> [UsageEvent] {
        let chains = Set(model.order.map { model.root[$0]! }).shuffled(using: &rng).prefix(Int(rng.below(3)) + 1)
        return chains.map { chain in
            let members = model.order.filter { model.root[$0] == chain }
            let target = members[Int(rng.below(UInt64(members.count)))]
            let stored = model.events[target]!
            return event(occurredAgo: clock.now().millisecondsSinceEpoch - stored.occurredAt.millisecondsSinceEpoch, corrects: (target, stored))
        }
    }

    // MARK: Steps

    mutating func ingest(_ batch: [UsageEvent]) async throws {
        guard !batch.isEmpty else { return }
        let expected = model.ingest(batch, now: clock.now())
        let answer: LedgerReferenceModel.Answer
        do {
            answer = .stored(try await log.ingest(batch).results.map(\.outcome))
        } catch let error as PlatformError {
            answer = .refused(error.code)
        }
        #expect(answer == expected, comment)
        if case .stored = expected { batches.append(batch) }
    }

    /// A stored event re-sent with another quantity, beside fresh ones: the whole batch is refused.
    mutating func conflictingResend() async throws {
        guard let key = model.order.randomElement(using: &rng) else { return }
        var changed = model.events[key]!
        changed.quantity += 1
        try await ingest(freshBatch(duplicates: false) + [changed])
    }

    mutating func rate(concurrently: Bool) async throws {
        let first = worker(batchSize: Int(rng.below(40)) + 1)
        guard concurrently else {
            try await first.rateQueued()
            return
        }
        let second = worker(batchSize: Int(rng.below(40)) + 1)
        async let a = first.rateQueued()
        async let b = second.rateQueued()
        _ = try await (a, b)
    }

    mutating func ingestWhileRating() async throws {
        let batch = freshBatch(duplicates: rng.below(2) == 0)
        let expected = model.ingest(batch, now: clock.now())
        let worker = worker(batchSize: Int(rng.below(40)) + 1)
        async let rated = worker.rateQueued()
        let answer: LedgerReferenceModel.Answer
        do {
            answer = .stored(try await log.ingest(batch).results.map(\.outcome))
        } catch let error as PlatformError {
            answer = .refused(error.code)
        }
        _ = try await rated
        #expect(answer == expected, comment)
        if case .stored = expected { batches.append(batch) }
    }

    /// A crash inside the rating transaction — the insert of a rated charge, of a posting, or
    /// the queue delete after posting fails — rolls back the whole pass: no charge, entry or
    /// posting of it survives, the events stay queued, and the ledger still verifies.
    mutating func crashInsideRating() async throws {
        let point = [("ledger_postings", "INSERT"), ("metering_rating_queue", "DELETE"), ("billing_rated_charges", "INSERT")][Int(rng.below(3))]
        let before = try await counts()
        try await installFault(on: point.0, before: point.1)
        let threw: Bool
        do {
            try await worker(batchSize: Int(rng.below(40)) + 1).rateQueued()
            threw = false
        } catch {
            threw = true
        }
        try await removeFault(on: point.0)
        if threw {
            crashes += 1
            let after = try await counts()
            #expect(after.entries == before.entries && after.charges == before.charges && after.queued == before.queued,
                    "a failed pass left effects: \(before) → \(after); \(comment)")
        }
        try await expectVerified()
    }

    mutating func grantCredit() async throws {
        grants += 1
        let tenant = ["acme", "prepaid-co"][Int(rng.below(2))]
        let amount = Int64(rng.below(3_000_000)) + 1
        try await ledger.post("credit/g\(grants)", tenant: tenant, LedgerFixture.grant(tenant, amount), at: clock.now())
        model.grant(tenant, amount)
    }

    /// Closes a tenant's previous period (as the statement closer does once it ended).
    mutating func closePreviousPeriod() async throws {
        let tenant = ["acme", "prepaid-co"][Int(rng.below(2))]
        let period = BillingPeriod(containing: clock.now()).previous
        guard closedAt[tenant] == nil else { return }
        let now = clock.now()
        try await ledger.store.transaction { db in
            try await db.raw("""
                INSERT INTO billing_statements (tenant_id, period, closed_at, closed_by, document, digest)
                VALUES (\(bind: tenant), \(bind: period.description), \(bind: now.rfc3339), 'test', '{}', 'x')
                """).run()
        }
        closedAt[tenant] = Int64(now.millisecondsSinceEpoch)
        model.close(tenant, period)
    }

    func expectVerified() async throws {
        let verification = try await billing.verify()
        #expect(verification.passed, "\(verification.checks.filter { !$0.passed }); \(comment)")
    }

    // MARK: Faults

    func installFault(on table: String, before operation: String) async throws {
        try await ledger.store.transaction { db in
            switch ledger.backend {
            case .sqlite:
                try await db.raw("""
                    CREATE TRIGGER injected_crash BEFORE \(unsafeRaw: operation) ON \(ident: table)
                    BEGIN SELECT RAISE(ABORT, 'injected crash'); END
                    """).run()
            case .postgres:
                try await db.raw("""
                    CREATE OR REPLACE FUNCTION injected_crash() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'injected crash'; END $$
                    """).run()
                try await db.raw("""
                    CREATE TRIGGER injected_crash BEFORE \(unsafeRaw: operation) ON \(ident: table) FOR EACH ROW EXECUTE FUNCTION injected_crash()
                    """).run()
            }
        }
    }

    func removeFault(on table: String) async throws {
        try await ledger.store.transaction { db in
            switch ledger.backend {
            case .sqlite: try await db.raw("DROP TRIGGER injected_crash").run()
            case .postgres: try await db.raw("DROP TRIGGER injected_crash ON \(ident: table)").run()
            }
        }
    }

    struct Counts: Equatable, CustomStringConvertible {
        var entries: Int64
        var charges: Int64
        var queued: Int64
        var description: String { "\(entries) entries, \(charges) charges, \(queued) queued" }
    }

    func counts() async throws -> Counts {
        Counts(entries: try await ledger.count("SELECT COUNT(*) AS n FROM ledger_entries"),
               charges: try await ledger.count("SELECT COUNT(*) AS n FROM billing_rated_charges"),
               queued: try await ledger.count("SELECT COUNT(*) AS n FROM metering_rating_queue"))
    }

    // MARK: The end

    /// Rates until the queue is empty, folds the rollup, verifies, and compares every event,
    /// charge and total with the model.
    mutating func drainAndCompare() async throws {
        var passes = 0
        while try await ledger.count("SELECT COUNT(*) AS n FROM metering_rating_queue") > 0 {
            passes += 1
            try #require(passes < 200, "the queue does not drain; \(comment)")
            try await worker(batchSize: 500).rateQueued()
        }
        try await BalanceRollup(store: ledger.store, clock: clock, logger: ledger.logger).foldAll()
        try await expectVerified()

        // Every accepted event stored once; nothing refused stored.
        let stored = try await ledger.store.read { db in
            try await db.raw("SELECT source, id FROM metering_usage_events").all().map {
                LedgerReferenceModel.Key(source: try $0.decode(column: "source", as: String.self), id: try $0.decode(column: "id", as: String.self))
            }
        }
        #expect(Set(stored) == Set(model.order) && stored.count == model.order.count, comment)

        // Every event charged once at the model's price; exactly the superseded ones reversed, once.
        let rows = try await ledger.store.read { db in
            try await db.raw("SELECT id, kind, reverses, event_source, event_id, tenant_id, product, amount, period, adjustment_for, rated_ms FROM billing_rated_charges").all()
        }
        var charged: [LedgerReferenceModel.Key: Int64] = [:]
        var reversedCharges: [String] = []
        var chargeIDs: [String: LedgerReferenceModel.Key] = [:]
        var tenantTotals: [String: Int64] = [:]
        for row in rows {
            let key = LedgerReferenceModel.Key(source: try row.decode(column: "event_source", as: String.self),
                                               id: try row.decode(column: "event_id", as: String.self))
            let amount = try row.decode(column: "amount", as: Int64.self)
            chargeIDs[try row.decode(column: "id", as: String.self)] = key
            let tenant = try row.decode(column: "tenant_id", as: String.self)
            tenantTotals[tenant, default: 0] += amount
            if try row.decode(column: "kind", as: String.self) == "charge" {
                #expect(charged.updateValue(amount, forKey: key) == nil, "\(key) charged twice; \(comment)")
                // A charge never lands on a period closed before it was rated.
                let period = try BillingPeriod(try row.decode(column: "period", as: String.self))
                if model.closed.contains(.init(tenant: tenant, period: period)) {
                    #expect(try row.decode(column: "rated_ms", as: Int64.self) <= closedAt[tenant] ?? .max, "\(key) landed on a closed period; \(comment)")
                }
                if let adjustment = try row.decode(column: "adjustment_for", as: String?.self) {
                    #expect(model.closed.contains(.init(tenant: tenant, period: try BillingPeriod(adjustment))) && adjustment != period.description, comment)
                }
            } else if let undone = try row.decode(column: "reverses", as: String?.self) {
                reversedCharges.append(undone)
            }
        }
        let book = LedgerPolicy.priceBook
        for key in model.order {
            #expect(charged[key] == model.amount(key, book: book), "\(key) charged \(charged[key] ?? -1), model \(model.amount(key, book: book)); \(comment)")
        }
        let superseded = Set(model.order).subtracting(model.billed)
        var reversed: [LedgerReferenceModel.Key: Int] = [:]
        for charge in reversedCharges { reversed[chargeIDs[charge] ?? .init(source: "?", id: charge), default: 0] += 1 }
        #expect(Set(reversed.keys) == superseded && reversed.values.allSatisfy { $0 == 1 },
                "reversed \(reversed.count), superseded \(superseded.count); \(comment)")

        // Totals: per tenant (charges net of reversals), per product's revenue account, and
        // what each tenant can still spend (grants − usage) from the rollup.
        let totals = model.totals(book: book)
        #expect(tenantTotals.filter { $0.value != 0 } == totals.tenants.filter { $0.value != 0 }, comment)
        for (product, total) in totals.products {
            let revenue = try await ledger.count("""
                SELECT credits - debits AS n FROM ledger_balances WHERE account_id = \(bind: "revenue/\(product)")
                """)
            #expect(revenue == total, "revenue/\(product); \(comment)")
        }
        for tenant in ["acme", "prepaid-co"] {
            let report = try await billing.balance(tenant: tenant)
            #expect(report.available.amount == model.grants[tenant, default: 0] - totals.tenants[tenant, default: 0], "\(tenant); \(comment)")
            #expect(!report.stale, comment)
            let credit = report.accounts.first { $0.kind == .promotionalCredit }?.balance.amount ?? 0
            #expect(credit >= 0, "promotional credit went negative for \(tenant); \(comment)")
        }
        print("ledger property: seed \(seed) on \(ledger.backend.rawValue): \(model.order.count) events, \(superseded.count) corrected, \(rows.count) rated charges, \(crashes) injected crashes, \(closedAt.count) closed statements")
    }
}

/// A small seeded generator (SplitMix64), so a failing seed replays exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: UInt64) -> UInt64 { bound == 0 ? 0 : next(upperBound: bound) }
}
