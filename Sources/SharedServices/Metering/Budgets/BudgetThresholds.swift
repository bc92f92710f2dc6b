import PlatformContracts
import PlatformStore
import SQLKit

/// Records budget threshold crossings and announces them (`billing.budget`) on the caller's
/// transaction — the rating transaction that posted the charges — so a crossing exists exactly
/// when the spending that caused it committed, and a rolled-back rating leaves neither.
///
/// Each threshold crosses once per budget and period: the crossing's primary key and the
/// outbox dedupe key `billing.budget/<scope>/<target>/<period>/<threshold>` both say so, so a
/// retried transaction or a second replica writes nothing twice. 100 % is always a threshold,
/// whatever the budget lists: it is where policy acts (admission refuses, and the enforcer
/// stops running instances after the grace period), and its crossing time starts that period.
enum BudgetThresholds {
    /// Evaluates the project's and its tenant's budgets for `period` after charges were posted.
    /// - Parameters:
    ///   - project: The project whose charges were posted; a tenant budget's notice goes to it.
    ///   - at: The crossing time recorded (the rating transaction's time).
    static func evaluate(tenant: String, project: String, period: BillingPeriod, at: Timestamp, in db: any SQLDatabase) async throws {
        for budget in try await BudgetRecords.budgets(covering: project, tenant: tenant, in: db) {
            try await evaluate(budget, period: period, project: project, at: at, in: db)
        }
    }

    /// Records and announces every threshold of `budget` reached in `period` and not yet
    /// crossed; returns the newly crossed ones.
    /// - Parameter project: Where the notice goes (a project budget's own target otherwise).
    @discardableResult
    static func evaluate(_ budget: Budget, period: BillingPeriod, project: String, at: Timestamp, in db: any SQLDatabase) async throws -> [Int] {
        let spent = try await BudgetRecords.spent(budget, period: period, in: db)
        let percent = BudgetRecords.percent(spent: spent, limit: budget.limit.amount)
        let crossed = try await BudgetRecords.crossings(budget, period: period, in: db)
        let due = Set(budget.thresholds + [100]).filter { percent >= $0 && crossed[$0] == nil }.sorted()
        let outbox = OutboxWriter()
        for threshold in due {
            try await db.raw("""
                INSERT INTO billing_budget_crossings (scope, target, period, threshold, crossed_at, crossed_ms)
                VALUES (\(bind: budget.scope.rawValue), \(bind: budget.target), \(bind: period.description), \(bind: threshold),
                        \(bind: at.rfc3339), \(bind: Int64(at.millisecondsSinceEpoch)))
                ON CONFLICT DO NOTHING
                """).run()
            let event = NotificationEvent(
                template: "billing.budget", project: budget.scope == .project ? budget.target : project, tenant: budget.tenant,
                recipients: [budget.updatedBy],
                variables: ["scope": budget.scope.rawValue, "target": budget.target, "period": period.description,
                            "threshold": String(threshold), "percent": String(percent),
                            "spent": Money.decimal(spent, scale: budget.limit.scale), "limit": budget.limit.display,
                            "currency": budget.limit.currency],
                occurredAt: at)
            try await outbox.notify(event, dedupeKey: dedupeKey(budget, period: period, threshold: threshold), in: db)
        }
        return due
    }

    /// `billing.budget/<scope>/<target>/<period>/<threshold>`: one notice per threshold per
    /// budget per month.
    static func dedupeKey(_ budget: Budget, period: BillingPeriod, threshold: Int) -> String {
        "billing.budget/\(budget.scope.rawValue)/\(budget.target)/\(period)/\(threshold)"
    }
}
