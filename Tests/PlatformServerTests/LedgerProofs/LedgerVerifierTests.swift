import Foundation
@testable import MeteringService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization
import Testing

/// The balance rollup and `verify()` over hand-made ledgers: what each check catches, and
/// that a clean ledger passes (issue 19, point 5).
@Suite("Ledger rollup and verification")
struct LedgerVerifierTests {
    @Test("the rollup folds each posting once and moves through_seq", arguments: ServerBackend.enabled)
    func rollupFoldsEachPostingExactlyOnce(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            try await ledger.post("credit/1", tenant: "acme", LedgerFixture.grant("acme", 100))
            let rollup = BalanceRollup(store: ledger.store, logger: ledger.logger)
            var state = try await rollup.foldAll()
            #expect(state.throughSeq == 1)
            try await ledger.post("credit/2", tenant: "acme", LedgerFixture.grant("acme", 50))
            // Not folded yet: the rollup still says seq 1, and still matches the postings through it.
            #expect(try await LedgerVerifier.verify(store: ledger.store, at: .now()).passed)
            state = try await rollup.foldAll()
            state = try await rollup.foldAll()
            #expect(state.throughSeq == 2)
            #expect(try await ledger.count("SELECT credits AS n FROM ledger_balances WHERE account_id = 'tenant/acme/promotional-credit'") == 150)
            #expect(try await ledger.count("SELECT debits AS n FROM ledger_balances WHERE account_id = 'platform/promotions-expense'") == 150)
            let verification = try await LedgerVerifier.verify(store: ledger.store, at: .now())
            #expect(verification.passed, "\(verification.checks.filter { !$0.passed })")
            #expect(verification.entries == 2 && verification.postings == 4)
        }
    }

    @Test("a balance read is stamped with the rollup's as-of time and goes stale past the budget", arguments: ServerBackend.enabled)
    func balanceIsStampedStalePastTheStalenessBudget(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let clock = ManualClock(start: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
            var billing = BillingService(store: ledger.store, policy: LedgerPolicy.fixed(), audit: RecordingAuditor(), clock: clock,
                                         logger: ledger.logger)
            billing.balanceStalenessBudget = .seconds(60)
            // Before the first pass there is no as-of: the read says stale rather than zero-and-current.
            #expect(try await billing.balance(tenant: "acme").stale)
            try await ledger.post("credit/1", tenant: "acme", LedgerFixture.grant("acme", 2_500_000))
            try await ledger.post("credit/other", tenant: "acme_x", LedgerFixture.grant("acme_x", 7))
            try await BalanceRollup(store: ledger.store, clock: clock, logger: ledger.logger).foldAll()
            var report = try await billing.balance(tenant: "acme")
            #expect(!report.stale && report.ageSeconds == 0 && report.throughSeq == 2 && report.asOf == clock.now())
            #expect(report.accounts.map(\.account) == [.tenant("acme", .promotionalCredit)], "acme_ must not match acme's LIKE pattern")
            #expect(report.available == Money(currency: "USD", amount: 2_500_000, scale: 6))
            await clock.advance(by: .seconds(61))
            report = try await billing.balance(tenant: "acme")
            #expect(report.stale && report.ageSeconds == 61)
        }
    }

    @Test("verify names the offender of every invariant", arguments: ServerBackend.enabled)
    func verifyNamesTheOffenderOfEveryInvariant(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            try await ledger.post("credit/ok", tenant: "acme", LedgerFixture.grant("acme", 10))
            try await BalanceRollup(store: ledger.store, logger: ledger.logger).foldAll()
            #expect(try await LedgerVerifier.verify(store: ledger.store, at: .now()).passed)
            try await ledger.store.transaction { db in
                // An entry whose postings do not sum to zero (written around the writer).
                try await db.raw("INSERT INTO ledger_entries (id, seq, kind, tenant_id, reference, posted_at, posted_by) VALUES ('bad/1', 2, 'credit-grant', 'acme', 'x', 'now', 't')").run()
                try await db.raw("INSERT INTO ledger_postings (entry_id, idx, seq, account_id, currency, amount) VALUES ('bad/1', 0, 2, 'tenant/acme/prepaid', 'USD', 5)").run()
                try await db.raw("INSERT INTO ledger_postings (entry_id, idx, seq, account_id, currency, amount) VALUES ('bad/1', 1, 2, 'revenue/apps', 'USD', -4)").run()
                // A rated charge never posted; an event neither queued nor rated; a queued event that is also rated.
                try await Self.insertEvent("lost", db)
                try await Self.insertEvent("twice", db)
                try await db.raw("INSERT INTO metering_rating_queue (source, id, recorded_at, recorded_ms) VALUES ('apps', 'twice', 'now', 1)").run()
                try await Self.insertCharge(event: "twice", entry: "charge/missing", db)
                // A rollup that disagrees with the postings.
                try await db.raw("UPDATE ledger_balances SET credits = credits + 1 WHERE account_id = 'tenant/acme/promotional-credit'").run()
            }
            let verification = try await LedgerVerifier.verify(store: ledger.store, at: .now())
            let failed = Dictionary(uniqueKeysWithValues: verification.checks.map { ($0.name, $0.violations) })
            #expect(!verification.passed)
            #expect(failed["entries-balanced"] == ["bad/1"])
            #expect(failed["ledger-balanced"] == ["USD"])
            #expect(failed["charges-posted-once"] == ["apps/twice/charge"])
            #expect(failed["rollups-match"] == ["tenant/acme/promotional-credit"])
            #expect(failed["events-rated-once"] == ["apps/lost", "apps/twice"])
        }
    }

    @Test("ledger:writer fails only once rating is failing and usage has waited past 30 s", arguments: ServerBackend.enabled)
    func ledgerWriterCheckFailsWhenRatingFailsAndUsageWaits(_ backend: ServerBackend) async throws {
        try await withLedgerStore(backend) { ledger in
            let clock = ManualClock(start: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
            let workerFailed = Atomic<Bool>(false)
            let check = LedgerWriterHealthCheck(store: ledger.store, clock: clock, lastTransactionFailed: { workerFailed.load(ordering: .relaxed) })
            #expect(await check.check().status == .pass)
            try await ledger.store.transaction { db in
                try await Self.insertEvent("waiting", db)
                try await db.raw("""
                    INSERT INTO metering_rating_queue (source, id, recorded_at, recorded_ms)
                    VALUES ('apps', 'waiting', 'now', \(bind: Int64(clock.now().millisecondsSinceEpoch)))
                    """).run()
            }
            await clock.advance(by: .seconds(10))
            #expect(await check.check().status == .pass, "10 s of waiting is normal")
            await clock.advance(by: .seconds(21))
            let slow = await check.check()
            #expect(slow.status == .warn && slow.observedValue == 31, "waiting without a failure: slow, not broken")
            workerFailed.store(true, ordering: .relaxed)
            #expect(await check.check().status == .fail, "the worker's last transaction failed")
            workerFailed.store(false, ordering: .relaxed)
            try await ledger.store.transaction { db in
                try await db.raw("UPDATE metering_rating_queue SET attempts = 1, last_error = 'billing.price_missing: no price'").run()
            }
            let failing = await check.check()
            #expect(failing.status == .fail && failing.output?.contains("billing.price_missing") == true)
        }
    }

    static func insertEvent(_ id: String, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO metering_usage_events (source, id, unit, quantity, project_id, occurred_at, recorded_at, tenant_id, product)
            VALUES ('apps', \(bind: id), 'app-runtime-hour', 60, 'p1', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'acme', 'apps')
            """).run()
    }

    static func insertCharge(event: String, entry: String, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO billing_rated_charges (id, kind, event_source, event_id, tenant_id, project_id, product, unit, unit_version, quantity,
                currency, amount, asset_scale, price_book_version, unit_price, plan, policy_snapshot, occurred_at, period, entry_id, rated_at,
                rated_ms, recorded_ms)
            VALUES (\(bind: "apps/\(event)/charge"), 'charge', 'apps', \(bind: event), 'acme', 'p1', 'apps', 'app-runtime-hour', 1, 60,
                'USD', 100, 6, 1, 100, 'plan.test', 'snap', '2026-12-01T00:00:00Z', '2026-12', \(bind: entry), 'now', 1, 1)
            """).run()
    }
}
