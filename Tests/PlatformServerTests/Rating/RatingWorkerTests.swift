import Foundation
import Logging
@testable import MeteringService
import PlatformContracts
import PlatformStore
import SQLKit
import Testing

/// The rating worker on SQLite and PostgreSQL: each event becomes one rated charge and one
/// balanced entry in one transaction with its queue row's deletion; corrections reverse and
/// re-charge; closed periods get adjustments; promotional credit pays first; a missing price
/// or a stale snapshot leaves usage queued, never skipped.
@Suite("Rating worker")
struct RatingWorkerTests {
    @Test("an event is rated once into a balanced charge that names its price book and snapshot", arguments: ServerBackend.enabled)
    func ratingPostsOneBalancedChargePerEventAndRerunsAreNoOps(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            _ = try await f.usage.ingest([RatingFixture.runtime("e1", seconds: 7200)])
            let pass = try await f.worker.rateQueued()
            #expect(pass.rated == 1 && pass.waiting == 0 && pass.unrated == 0)
            let charges = try await f.charges()
            #expect(charges.count == 1)
            let charge = try #require(charges.first)
            #expect(charge.id == "apps/e1/charge" && charge.kind == .charge)
            #expect(charge.amount == Money(currency: "USD", amount: 200_000, scale: 6))
            #expect(charge.priceBookVersion == 7 && charge.unitPrice == 100_000 && charge.policySnapshot == "snap-1" && charge.plan == "plan.standard")
            #expect(charge.period.description == "2026-12" && charge.adjustmentFor == nil)
            #expect(try await f.posted(.tenant("acme", .receivable)) == 200_000)
            #expect(try await f.posted(.revenue(product: "apps")) == -200_000)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM metering_rating_queue") == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM outbox_intents WHERE dedupe_key = 'usage.rated/apps/e1/charge'") == 1)

            // A re-sent duplicate and another pass change nothing.
            _ = try await f.usage.ingest([RatingFixture.runtime("e1", seconds: 7200)])
            #expect(try await f.worker.rateQueued().rated == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM billing_rated_charges") == 1)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM ledger_entries") == 1)
            let entries = try await f.store.read { db in
                try await db.raw("SELECT seq AS n FROM ledger_entries").all().map { try $0.decode(column: "n", as: Int64.self) }
            }
            #expect(entries == [1])
            // Even a queue row for an event already rated (it cannot outlive its rating, but if
            // it did) is only dropped, never charged twice.
            try await f.store.transaction { db in
                try await db.raw("""
                    INSERT INTO metering_rating_queue (source, id, recorded_at, recorded_ms) VALUES ('apps', 'e1', 'x', 1)
                    """).run()
            }
            #expect(try await f.worker.rateQueued().unrated == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM billing_rated_charges") == 1)
        }
    }

    @Test("a correction chain rated in one pass reverses the charge in effect and leaves only the last quantity billed",
          arguments: ServerBackend.enabled)
    func correctionReversesTheChargeInEffectAndChargesTheNewQuantity(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            _ = try await f.usage.ingest([RatingFixture.runtime("a", seconds: 3600)])
            #expect(try await f.worker.rateQueued().rated == 1)
            // Two corrections in one batch: b corrects a, then c corrects b; the ids sort so the
            // queue returns c first, which must wait for b.
            _ = try await f.usage.ingest([RatingFixture.runtime("z-b", seconds: 1800, corrects: "a"),
                                          RatingFixture.runtime("c", seconds: 7200, corrects: "z-b")])
            let pass = try await f.worker.rateQueued()
            #expect(pass.rated == 2 && pass.waiting == 0)
            let charges = try await f.charges()
            let byID = Dictionary(uniqueKeysWithValues: charges.map { ($0.id, $0) })
            #expect(Set(byID.keys) == ["apps/a/charge", "apps/z-b/reversal", "apps/z-b/charge", "apps/c/reversal", "apps/c/charge"])
            #expect(byID["apps/z-b/reversal"]?.reverses == "apps/a/charge")
            #expect(byID["apps/z-b/reversal"]?.amount.amount == -100_000 && byID["apps/z-b/reversal"]?.quantity == -3600)
            #expect(byID["apps/c/reversal"]?.reverses == "apps/z-b/charge")
            #expect(byID["apps/c/reversal"]?.amount.amount == -50_000)
            #expect(charges.reduce(Int64(0)) { $0 + $1.amount.amount } == 200_000)
            #expect(try await f.posted(.tenant("acme", .receivable)) == 200_000)
            #expect(try await f.posted(.revenue(product: "apps")) == -200_000)
            let kinds = try await f.store.read { db in
                try await db.raw("SELECT kind FROM ledger_entries ORDER BY seq").all().map { try $0.decode(column: "kind", as: String.self) }
            }
            #expect(kinds == ["charge", "reversal", "charge", "reversal", "charge"])
        }
    }

    @Test("entries lists a tenant's newest journal entries with their postings, newest first", arguments: ServerBackend.enabled)
    func entriesListsTheTenantsNewestEntriesWithPostings(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            _ = try await f.usage.ingest([RatingFixture.runtime("a", seconds: 3600), RatingFixture.runtime("g", seconds: 3600, tenant: "globex")])
            _ = try await f.worker.rateQueued()
            _ = try await f.usage.ingest([RatingFixture.runtime("b", seconds: 1800, corrects: "a")])
            _ = try await f.worker.rateQueued()
            let billing = BillingService(store: f.store, policy: f.policy, audit: RecordingAuditor(),
                                         logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let entries = try await billing.entries(tenant: "acme", limit: 2)
            #expect(entries.map(\.id) == ["charge/apps/b/charge", "charge/apps/b/reversal"])
            #expect(entries.map(\.kind) == [.charge, .reversal])
            #expect(entries.allSatisfy { $0.isBalanced && $0.tenant == "acme" })
            #expect(entries[1].postings.map(\.amount) == [-100_000, 100_000])
            #expect(entries[0].seq > entries[1].seq)
            #expect(try await billing.entries(tenant: "globex", limit: 10).map(\.reference) == ["apps/g/charge"])
            #expect(try await billing.entries(tenant: "nobody", limit: 10).isEmpty)
        }
    }

    @Test("a late event of a closed statement period lands on the open period as an adjustment", arguments: ServerBackend.enabled)
    func lateEventOfAClosedPeriodLandsOnTheOpenPeriodAsAnAdjustment(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            try await f.store.transaction { db in
                try await db.raw("""
                    INSERT INTO billing_statements (tenant_id, period, closed_at, closed_by, document, digest)
                    VALUES ('acme', '2026-11', '2026-12-01T01:00:00Z', 'test', '{}', 'x')
                    """).run()
            }
            let late = Timestamp(rfc3339: "2026-11-30T23:00:00Z")!
            _ = try await f.usage.ingest([RatingFixture.runtime("late", seconds: 3600, at: late),
                                          RatingFixture.runtime("other-tenant", seconds: 3600, tenant: "globex", at: late)])
            #expect(try await f.worker.rateQueued().rated == 2)
            let byID = Dictionary(uniqueKeysWithValues: try await f.charges().map { ($0.id, $0) })
            #expect(byID["apps/late/charge"]?.period.description == "2026-12")
            #expect(byID["apps/late/charge"]?.adjustmentFor?.description == "2026-11")
            #expect(byID["apps/late/charge"]?.occurredAt == late)
            // Another tenant's November is still open.
            #expect(byID["apps/other-tenant/charge"]?.period.description == "2026-11")
            #expect(byID["apps/other-tenant/charge"]?.adjustmentFor == nil)
        }
    }

    @Test("promotional credit pays first, then prepaid or receivable as billing.prepaid says", arguments: ServerBackend.enabled)
    func promotionalCreditIsConsumedFirstThenPrepaidOrReceivable(backend: ServerBackend) async throws {
        try await withRatingFixture(backend, snapshot: RatingFixture.snapshot(prepaidTenants: ["globex"])) { f in
            for tenant in ["acme", "globex"] {
                try await f.store.transaction { db in
                    try await LedgerWriter.post(
                        id: "credit/\(tenant)", kind: .creditGrant, tenant: tenant, reference: "grant", memo: "welcome",
                        postings: [Posting(account: .promotionsExpense, currency: "USD", amount: 50_000),
                                   Posting(account: .tenant(tenant, .promotionalCredit), currency: "USD", amount: -50_000)],
                        by: "admin", at: RatingFixture.start, in: db, backend: f.store.backend)
                }
            }
            _ = try await f.usage.ingest([RatingFixture.runtime("a1", seconds: 7200), RatingFixture.runtime("g1", seconds: 7200, tenant: "globex"),
                                          RatingFixture.runtime("a2", seconds: 3600)])
            #expect(try await f.worker.rateQueued().rated == 3)
            // acme: 50 000 of credit, then 150 000 + 100 000 receivable.
            #expect(try await f.posted(.tenant("acme", .promotionalCredit)) == 0)
            #expect(try await f.posted(.tenant("acme", .receivable)) == 250_000)
            #expect(try await f.posted(.tenant("acme", .prepaid)) == 0)
            // globex pays in advance: its prepaid account is drawn down.
            #expect(try await f.posted(.tenant("globex", .promotionalCredit)) == 0)
            #expect(try await f.posted(.tenant("globex", .prepaid)) == 150_000)
            #expect(try await f.posted(.tenant("globex", .receivable)) == 0)
            #expect(try await f.posted(.revenue(product: "apps")) == -500_000)
            let live = try await f.store.read { db in
                try await LedgerWriter.liveBalance(.tenant("globex", .prepaid), currency: "USD", in: db)
            }
            #expect(live == -150_000)
            // A correction of a charge paid by credit gives the credit back.
            _ = try await f.usage.ingest([RatingFixture.runtime("a1-fix", seconds: 0, corrects: "a1")])
            #expect(try await f.worker.rateQueued().rated == 1)
            let credit = try await f.store.read { db in
                try await LedgerWriter.liveBalance(.tenant("acme", .promotionalCredit), currency: "USD", in: db)
            }
            #expect(credit == 50_000)
            #expect(try await f.posted(.tenant("acme", .receivable)) == 100_000)
        }
    }

    @Test("an event with no price stays queued with the reason, and is rated once a price exists", arguments: ServerBackend.enabled)
    func missingPriceLeavesTheEventQueuedUntilAPriceExists(backend: ServerBackend) async throws {
        let noTokens = PriceBook(version: 6, currency: "USD", assetScale: 6, entries: RatingFixture.book.entries.filter { $0.unit != "inference.token" })
        try await withRatingFixture(backend, snapshot: RatingFixture.snapshot(id: "snap-old", book: noTokens)) { f in
            let tokens = UsageEvent(source: "token-factory", id: "t1", unit: "inference.token", quantity: 1_500_000, tenant: "acme",
                                    project: ProjectID("acme-ml"), product: "token-factory", occurredAt: RatingFixture.start)
            _ = try await f.usage.ingest([tokens, RatingFixture.runtime("r1", seconds: 3600)])
            let first = try await f.worker.rateQueued()
            #expect(first.rated == 1 && first.waiting == 1 && first.unrated == 1)
            let queued = try await f.store.read { db in try await db.raw("SELECT attempts, last_error FROM metering_rating_queue").all() }
            #expect(queued.count == 1)
            #expect(try queued.first?.decode(column: "attempts", as: Int.self) == 1)
            #expect(try queued.first?.decode(column: "last_error", as: String.self).contains("billing.price_missing") == true)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM billing_rated_charges WHERE event_id = 't1'") == 0)
            // No price book at all: still queued, attempts counted.
            f.policy.set(RatingFixture.snapshot(id: "snap-none", book: nil))
            #expect(try await f.worker.rateQueued().waiting == 1)
            // The price appears in a new snapshot: rated under it.
            f.policy.set(RatingFixture.snapshot(id: "snap-new"))
            #expect(try await f.worker.rateQueued().rated == 1)
            let charge = try #require(try await f.charges().first { $0.eventId == "t1" })
            #expect(charge.amount.amount == 3_000_000 && charge.policySnapshot == "snap-new" && charge.priceBookVersion == 7)
            #expect(try await f.posted(.revenue(product: "token-factory")) == -3_000_000)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM metering_rating_queue") == 0)
        }
    }

    @Test("a stale policy snapshot fails the pass, keeps usage queued and is reported; the next fresh pass rates it",
          arguments: ServerBackend.enabled)
    func stalePolicyKeepsUsageQueuedAndReportsTheWriterFailing(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            _ = try await f.usage.ingest([RatingFixture.runtime("s1", seconds: 3600)])
            f.policy.set(nil)
            await #expect(throws: PlatformError.self) { try await f.worker.rateQueued() }
            #expect(f.worker.health.current.lastTransactionFailed)
            #expect(try await f.count("SELECT attempts AS n FROM metering_rating_queue") == 1)
            f.policy.set(RatingFixture.snapshot())
            #expect(try await f.worker.rateQueued().rated == 1)
            #expect(!f.worker.health.current.lastTransactionFailed)
        }
    }

    @Test("a wake-up sent while the worker is busy is not lost")
    func ratingSignalRemembersAWakeUpSentWhileTheWorkerWasBusy() async {
        let signal = RatingSignal()
        signal.signal()
        let clock = ContinuousClock()
        let started = clock.now
        // The bounds tell a remembered wake-up (at once) from the timeout (120 s) even on a
        // loaded CI machine; they measure nothing about speed.
        await signal.wait(timeout: .seconds(120))
        #expect(clock.now - started < .seconds(60))
        // Consumed: the next wait sleeps until signalled.
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            signal.signal()
        }
        let again = clock.now
        await signal.wait(timeout: .seconds(120))
        #expect(clock.now - again < .seconds(60))
    }

    @Test("the ledger writer refuses an unbalanced entry and posts an id once", arguments: ServerBackend.enabled)
    func ledgerWriterRefusesUnbalancedEntriesAndIsIdempotentByID(backend: ServerBackend) async throws {
        try await withRatingFixture(backend) { f in
            let unbalanced = [Posting(account: .tenant("acme", .receivable), currency: "USD", amount: 10),
                              Posting(account: .revenue(product: "apps"), currency: "USD", amount: -9)]
            do {
                try await f.store.transaction { db in
                    try await LedgerWriter.post(id: "x", kind: .charge, tenant: "acme", reference: "x", memo: nil, postings: unbalanced, by: "t",
                                                at: RatingFixture.start, in: db, backend: f.store.backend)
                }
                Issue.record("an unbalanced entry was posted")
            } catch let error as PlatformError {
                #expect(error.code == .ledgerUnbalanced)
            }
            let balanced = [Posting(account: .tenant("acme", .receivable), currency: "USD", amount: 10),
                            Posting(account: .revenue(product: "apps"), currency: "USD", amount: -10)]
            let posted = try await f.store.transaction { db in
                try await LedgerWriter.post(id: "y", kind: .charge, tenant: "acme", reference: "y", memo: nil, postings: balanced, by: "t",
                                            at: RatingFixture.start, in: db, backend: f.store.backend)
            }
            #expect(posted?.seq == 1)
            let again = try await f.store.transaction { db in
                try await LedgerWriter.post(id: "y", kind: .charge, tenant: "acme", reference: "y", memo: nil, postings: balanced, by: "t",
                                            at: RatingFixture.start, in: db, backend: f.store.backend)
            }
            #expect(again == nil)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM ledger_postings") == 2)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM ledger_accounts") == 2)
        }
    }
}
