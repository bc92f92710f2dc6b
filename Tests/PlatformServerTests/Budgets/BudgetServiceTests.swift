import Foundation
import Logging
@testable import MeteringService
import NotificationService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Budgets and credits in the metering service over a real store (SQLite and PostgreSQL):
/// threshold crossings and their `billing.budget` notices written by the rating transaction,
/// the spending position the app platform enforces, budget changes and credit grants with
/// their audit records. Enforcement in the instance core is in AppPlatformTests
/// (BudgetEnforcementTests).
@Suite("Budgets and credits")
struct BudgetServiceTests {
    typealias Fixture = BudgetFixture

    @Test("rated usage crosses each threshold once, with one billing.budget notice each, and exhausts the budget at 100 %",
          arguments: ServerBackend.enabled)
    func ratedUsageCrossesThresholdsOnceAndNotifiesThroughTheOutbox(backend: ServerBackend) async throws {
        try await withBudgetFixture(backend) { fixture in
            // $1.00 per hour: a $10 budget is 10 hours.
            let status = try await fixture.billing.setBudget(scope: .project, target: Fixture.project, tenant: Fixture.tenant, limit: 10_000_000,
                                                             thresholds: [80, 50], by: Fixture.admin)
            #expect(status.budget.thresholds == [50, 80, 100] && status.budget.limit == Money(currency: "USD", amount: 10_000_000, scale: 6))
            #expect(status.percent == 0 && status.crossed.isEmpty && status.exhaustedAt == nil)

            try await fixture.ingestAndRate(hours: 6)
            #expect(try await fixture.crossings() == [50])
            try await fixture.ingestAndRate(hours: 1)
            #expect(try await fixture.crossings() == [50], "70 %: nothing new")
            await fixture.clock.advance(by: .seconds(3600))
            try await fixture.ingestAndRate(hours: 4)
            #expect(try await fixture.crossings() == [50, 80, 100])

            let notices = try await fixture.budgetNotices()
            #expect(notices.map { $0.variables["threshold"] } == ["50", "80", "100"])
            let exhausted = try #require(notices.last)
            #expect(exhausted.project == Fixture.project && exhausted.tenant == Fixture.tenant && exhausted.recipients == [Fixture.admin])
            #expect(exhausted.variables["spent"] == "11.000000" && exhausted.variables["limit"] == "10.000000" && exhausted.variables["percent"] == "110")
            // Every variable the registry's template names is supplied.
            let rendered = try NotificationTemplateTests.checkoutCatalog().render("billing.budget", context: exhausted.variables)
            #expect(rendered.subject == "The project budget of \(Fixture.project) reached 100% for 2026-12")

            let position = try await fixture.billing.position(project: Fixture.project, tenant: Fixture.tenant)
            #expect(position.exhausted.map(\.budget.target) == [Fixture.project])
            #expect(position.exhausted.first?.exhaustedAt == Timestamp(millisecondsSinceEpoch: Fixture.start.millisecondsSinceEpoch + 3_600_000),
                    "when the 100 % crossing was rated")
            #expect(try await fixture.billing.exhaustedBudgets().map(\.percent) == [110])
            #expect(try await fixture.billing.position(project: "other-project", tenant: Fixture.tenant).exhausted.isEmpty)
        }
    }

    @Test("a tenant budget counts every project of the tenant, and a limit set below what was spent crosses at once",
          arguments: ServerBackend.enabled)
    func tenantBudgetCoversItsProjectsAndALowLimitCrossesAtOnce(backend: ServerBackend) async throws {
        try await withBudgetFixture(backend) { fixture in
            try await fixture.ingestAndRate(hours: 3)
            try await fixture.ingestAndRate(hours: 2, project: "acme-web")
            let status = try await fixture.billing.setBudget(scope: .tenant, target: Fixture.tenant, tenant: Fixture.tenant, limit: 4_000_000,
                                                             thresholds: [50], by: Fixture.admin)
            #expect(status.spent.amount == 5_000_000 && status.percent == 125 && status.crossed == [50, 100])
            #expect(status.exhaustedAt == Fixture.start)
            let notices = try await fixture.budgetNotices()
            #expect(notices.count == 2 && notices.allSatisfy { $0.project == Fixture.project }, "to the tenant's top spender")
            #expect(try await fixture.billing.position(project: "acme-web", tenant: Fixture.tenant).exhausted.map(\.budget.scope) == [.tenant])

            // Raising the limit re-arms the crossings: no longer exhausted, and no notice is sent twice.
            let raised = try await fixture.billing.setBudget(scope: .tenant, target: Fixture.tenant, tenant: Fixture.tenant, limit: 20_000_000,
                                                             thresholds: [50], by: Fixture.admin)
            #expect(raised.percent == 25 && raised.crossed.isEmpty && raised.exhaustedAt == nil)
            #expect(try await fixture.billing.exhaustedBudgets().isEmpty)
            #expect(try await fixture.budgetNotices().count == 2)
            let budgets = try await fixture.billing.budgets(tenant: Fixture.tenant)
            #expect(budgets.map(\.budget.limit.amount) == [20_000_000])
            #expect(fixture.audit.recorded.filter { $0.action == "billing.budget.set" }.count == 2)
        }
    }

    @Test("a reversal brings spending back under the limit: the budget is no longer exhausted", arguments: ServerBackend.enabled)
    func aCorrectionThatLowersSpendingLiftsExhaustion(backend: ServerBackend) async throws {
        try await withBudgetFixture(backend) { fixture in
            _ = try await fixture.billing.setBudget(scope: .project, target: Fixture.project, tenant: Fixture.tenant, limit: 5_000_000,
                                                    thresholds: [], by: Fixture.admin)
            try await fixture.ingestAndRate(hours: 6, id: "e-1")
            #expect(try await fixture.billing.position(project: Fixture.project, tenant: Fixture.tenant).exhausted.count == 1)
            try await fixture.ingestAndRate(hours: 2, id: "e-2", corrects: "e-1")
            let status = try #require(try await fixture.billing.budgets(tenant: Fixture.tenant).first)
            #expect(status.spent.amount == 2_000_000 && status.percent == 40 && status.exhaustedAt == nil)
            #expect(try await fixture.billing.position(project: Fixture.project, tenant: Fixture.tenant).exhausted.isEmpty)
        }
    }

    @Test("budget input is checked: limit above zero, thresholds 1–100, a tenant budget's target is its tenant; removing an unknown one is not found",
          arguments: ServerBackend.enabled)
    func budgetInputIsCheckedAndRemovalIsAudited(backend: ServerBackend) async throws {
        try await withBudgetFixture(backend) { fixture in
            let billing = fixture.billing
            await #expect(throws: PlatformError.self) {
                try await billing.setBudget(scope: .project, target: Fixture.project, tenant: Fixture.tenant, limit: 0, thresholds: [], by: Fixture.admin)
            }
            do {
                _ = try await billing.setBudget(scope: .project, target: Fixture.project, tenant: Fixture.tenant, limit: 1, thresholds: [101],
                                                by: Fixture.admin)
                Issue.record("threshold 101 was accepted")
            } catch let error as PlatformError {
                #expect(error.code == .billingAmountInvalid)
            }
            do {
                _ = try await billing.setBudget(scope: .tenant, target: "other", tenant: Fixture.tenant, limit: 1, thresholds: [], by: Fixture.admin)
                Issue.record("a tenant budget for another tenant was accepted")
            } catch let error as PlatformError {
                #expect(error.code == .httpParameterInvalid)
            }
            do {
                try await billing.removeBudget(scope: .project, target: Fixture.project, by: Fixture.admin)
                Issue.record("removing a missing budget passed")
            } catch let error as PlatformError {
                #expect(error.code == .billingBudgetNotFound)
            }
            _ = try await billing.setBudget(scope: .project, target: Fixture.project, tenant: Fixture.tenant, limit: 1, thresholds: [], by: Fixture.admin)
            try await billing.removeBudget(scope: .project, target: Fixture.project, by: Fixture.admin)
            #expect(try await billing.budgets(tenant: Fixture.tenant).isEmpty)
            let removed = try #require(fixture.audit.recorded.last)
            #expect(removed.action == "billing.budget.remove" && removed.target == "budget/project/\(Fixture.project)")
        }
    }

    @Test("a credit grant posts one balanced entry, audited once; a retry returns it, the same id with another amount is a conflict",
          arguments: ServerBackend.enabled)
    func creditGrantPostsOnceAndIsAudited(backend: ServerBackend) async throws {
        try await withBudgetFixture(backend) { fixture in
            let billing = fixture.billing
            let grant = CreditGrant(id: "welcome-1", tenant: Fixture.tenant, amount: Money(currency: "USD", amount: 25_000_000, scale: 6),
                                    reason: "welcome credit")
            let entry = try await billing.grantCredit(grant, by: Fixture.platformAdmin)
            #expect(entry.id == "credit/welcome-1" && entry.kind == .creditGrant && entry.isBalanced && entry.memo == "welcome credit")
            #expect(entry.postings == [Posting(account: .promotionsExpense, currency: "USD", amount: 25_000_000),
                                       Posting(account: .tenant(Fixture.tenant, .promotionalCredit), currency: "USD", amount: -25_000_000)])
            let again = try await billing.grantCredit(grant, by: Fixture.platformAdmin)
            #expect(again == entry)
            let balance = try await fixture.store.read { db in
                try await LedgerWriter.liveBalance(.tenant(Fixture.tenant, .promotionalCredit), currency: "USD", in: db)
            }
            #expect(balance == 25_000_000)
            let audits = fixture.audit.recorded.filter { $0.action == "billing.credit.grant" }
            #expect(audits.count == 1 && audits.first?.details["entry"] == "credit/welcome-1" && audits.first?.details["amount"] == "25.000000")
            #expect(audits.first?.actor.rawValue == Fixture.platformAdmin && audits.first?.details["policy_snapshot"] == "snap-budget")

            var other = grant
            other.amount.amount = 1
            for (bad, code) in [(other, ErrorCode.storeConflict),
                                (CreditGrant(id: "g-2", tenant: Fixture.tenant, amount: Money(currency: "USD", amount: 0, scale: 6), reason: ""),
                                 .billingAmountInvalid),
                                (CreditGrant(id: "g-3", tenant: Fixture.tenant, amount: Money(currency: "EUR", amount: 5, scale: 6), reason: ""),
                                 .billingAmountInvalid),
                                (CreditGrant(id: "g-4", tenant: Fixture.tenant, amount: Money(currency: "USD", amount: 5, scale: 2), reason: ""),
                                 .billingAmountInvalid)] {
                do {
                    _ = try await billing.grantCredit(bad, by: Fixture.platformAdmin)
                    Issue.record("grant \(bad.id) of \(bad.amount.display) \(bad.amount.currency) passed")
                } catch let error as PlatformError {
                    #expect(error.code == code, "\(bad.id): \(error.message)")
                }
            }
            #expect(try await fixture.count("ledger_entries") == 1)
        }
    }

    @Test("percent of a huge spend against a tiny limit does not trap")
    func percentOfHugeSpendDoesNotTrap() {
        #expect(BudgetRecords.percent(spent: .max, limit: 1) == Int(clamping: Int128(Int64.max) * 100))
        #expect(BudgetRecords.percent(spent: -5, limit: 10) == 0)
        #expect(BudgetRecords.percent(spent: 5, limit: 0) == 0)
    }
}

/// The metering service's budgets over a migrated store (outbox, metering, billing): the
/// usage log and the rating worker on a manual clock, a policy snapshot with a $1/hour price,
/// and a recording auditor.
struct BudgetFixture: Sendable {
    static let tenant = "acme"
    static let project = "acme-ml"
    static let admin = "01JTENANTADM1N000000000000"
    static let platformAdmin = "01JPLATF0RMADM1N0000000000"
    static let start = Timestamp(rfc3339: "2026-12-01T06:00:00Z")!
    static let units = UsageUnitRegistry(version: 2, units: [
        UsageUnitDefinition(unitId: "app-runtime-hour", owner: "apps", version: 1, precision: 3600, ratingCategory: .runtime,
                            lifecycle: .active, description: "runtime", display: "hours"),
    ])
    static let snapshot = PolicySnapshot(
        id: "snap-budget", version: 1, createdAt: start,
        definitions: ["billing.prepaid": PolicyDefinition(policyKey: "billing.prepaid", scope: .tenant, type: .flag, default: .flag(false),
                                                          description: "prepaid")],
        plans: ["plan.standard": PolicyPlan(planId: "plan.standard", description: "standard", values: [:])], defaultPlan: "plan.standard",
        priceBook: PriceBook(version: 3, currency: "USD", assetScale: 6, entries: [
            .init(plan: "*", unit: "app-runtime-hour", unitPrice: 1_000_000, effectiveFrom: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!),
        ]))

    let store: SQLStore
    let clock: ManualClock
    let audit: RecordingAuditor
    let usage: UsageEventLog
    let worker: RatingWorker
    let billing: BillingService

    /// Ingests `hours` of runtime of `project` and rates it.
    func ingestAndRate(hours: Int64, project: String = BudgetFixture.project, id: String? = nil, corrects: String? = nil) async throws {
        let event = UsageEvent(source: "apps", id: id ?? "ev-\(UUID().uuidString)", unit: "app-runtime-hour", quantity: hours * 3600,
                               tenant: Self.tenant, project: ProjectID(project), product: "apps", app: "notebook", occurredAt: clock.now(),
                               corrects: corrects)
        _ = try await usage.ingest([event])
        let pass = try await worker.rateQueued()
        #expect(pass.waiting == 0 && pass.unrated == 0)
    }

    /// This period's crossings of the project budget.
    func crossings() async throws -> [Int] {
        try await store.read { db in
            try await db.raw("SELECT threshold FROM billing_budget_crossings WHERE target = \(bind: Self.project) ORDER BY threshold").all()
                .map { try $0.decode(column: "threshold", as: Int.self) }
        }
    }

    /// The `billing.budget` notification events in the outbox, in threshold order.
    func budgetNotices() async throws -> [NotificationEvent] {
        try await store.read { db in
            try await db.raw("SELECT payload FROM outbox_intents WHERE topic = \(bind: NotificationEvent.topic) ORDER BY dedupe_key").all()
                .map { try JSONDecoder().decode(NotificationEvent.self, from: Data(try $0.decode(column: "payload", as: String.self).utf8)) }
                .filter { $0.template == "billing.budget" }
                .sorted { Int($0.variables["threshold"] ?? "") ?? 0 < Int($1.variables["threshold"] ?? "") ?? 0 }
        }
    }

    func count(_ table: SQLQueryString) async throws -> Int64 {
        try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM \(table)").first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }
}

func withBudgetFixture<T>(_ backend: ServerBackend, _ body: (BudgetFixture) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let location: DatabaseLocation = switch backend {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
        let logger = Logger(label: "test.budgets") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLStore.open(location, logger: logger)
        do {
            try await Migrator(store: store, sets: [OutboxSchema.migrations, MeteringSchema.migrations, BillingSchema.migrations],
                               logger: logger).migrate()
            let clock = ManualClock(start: BudgetFixture.start)
            let policy = FixedPolicyEvaluator(BudgetFixture.snapshot)
            let audit = RecordingAuditor()
            let fixture = BudgetFixture(
                store: store, clock: clock, audit: audit,
                usage: UsageEventLog(store: store, units: BudgetFixture.units, lateWindow: .seconds(72 * 3600), now: { clock.now() }),
                worker: RatingWorker(store: store, policy: policy, units: BudgetFixture.units, clock: clock, logger: logger),
                billing: BillingService(store: store, policy: policy, audit: audit, clock: clock, logger: logger))
            let result = try await body(fixture)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
