import PlatformContracts
import PlatformStore
import SQLKit

/// Budgets: set and removed by tenant and project admins (audited), read with this period's
/// spending, and the spending position the app platform enforces (``SpendGuard``).
extension BillingService {
    /// Creates or replaces a budget, in the price book's currency and scale, and evaluates it
    /// at once: a limit set below what was already spent crosses its thresholds now. Replacing
    /// a budget re-arms this period's crossings, so the 100 % crossing — and with it the grace
    /// period before running instances stop — counts from when the new limit was exceeded;
    /// the outbox's dedupe keys still keep each notice to one per threshold and period.
    /// - Parameters:
    ///   - limit: Integer amount at the price book's asset scale, above zero.
    ///   - thresholds: Percents 1–100; 100 is always added.
    /// - Throws: ``ErrorCode/billingAmountInvalid``, ``ErrorCode/httpParameterInvalid`` (a tenant
    ///   budget whose target is not its tenant), ``ErrorCode/billingPriceMissing`` (no price book),
    ///   ``ErrorCode/policyStale``.
    public func setBudget(scope: BudgetScope, target: String, tenant: String, limit: Int64, thresholds: [Int], by actor: String) async throws
        -> BudgetStatus
    {
        guard limit > 0 else {
            throw PlatformError(.billingAmountInvalid, "a budget's limit must be above zero, not \(limit)", details: ["limit": String(limit)])
        }
        if let wrong = thresholds.first(where: { !(1...100).contains($0) }) {
            throw PlatformError(.billingAmountInvalid, "budget thresholds are percents from 1 to 100, not \(wrong)",
                                details: ["threshold": String(wrong)])
        }
        guard scope == .project || target == tenant else {
            throw PlatformError(.httpParameterInvalid, "a tenant budget's target is its tenant (\(tenant)), not \(target)",
                                details: ["target": target])
        }
        let snapshot = try await policy.snapshot(for: .financial)
        guard let book = snapshot.priceBook else {
            throw PlatformError(.billingPriceMissing, "the policy snapshot \(snapshot.id) has no price book, so a budget has no currency yet")
        }
        let budget = Budget(scope: scope, target: target, tenant: tenant, limit: Money(currency: book.currency, amount: limit, scale: book.assetScale),
                            thresholds: Set(thresholds + [100]).sorted(), updatedAt: clock.now(), updatedBy: actor)
        let period = BillingPeriod(containing: budget.updatedAt)
        let (audit, now) = (self.audit, budget.updatedAt)
        return try await store.transaction { db in
            try await db.raw("""
                INSERT INTO billing_budgets (scope, target, tenant_id, currency, limit_amount, asset_scale, thresholds, updated_at, updated_by)
                VALUES (\(bind: scope.rawValue), \(bind: target), \(bind: tenant), \(bind: book.currency), \(bind: limit), \(bind: book.assetScale),
                        \(bind: BudgetRecords.encode(thresholds: budget.thresholds)), \(bind: now.rfc3339), \(bind: actor))
                ON CONFLICT (scope, target) DO UPDATE SET
                    tenant_id = excluded.tenant_id, currency = excluded.currency, limit_amount = excluded.limit_amount,
                    asset_scale = excluded.asset_scale, thresholds = excluded.thresholds, updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by
                """).run()
            try await db.raw("""
                DELETE FROM billing_budget_crossings
                WHERE scope = \(bind: scope.rawValue) AND target = \(bind: target) AND period = \(bind: period.description)
                """).run()
            try await audit.append(AuditEvent(
                actor: PrincipalID(actor), action: "billing.budget.set", target: "budget/\(scope.rawValue)/\(target)", outcome: .success,
                details: ["limit": budget.limit.display, "currency": book.currency, "thresholds": BudgetRecords.encode(thresholds: budget.thresholds),
                          "policy_snapshot": snapshot.id],
                project: scope == .project ? target : nil), tenant: tenant, in: db)
            let noticeProject = scope == .project ? target : try await Self.topSpender(tenant: tenant, period: period, in: db) ?? target
            try await BudgetThresholds.evaluate(budget, period: period, project: noticeProject, at: now, in: db)
            return try await BudgetRecords.status(budget, period: period, now: now, in: db)
        }
    }

    /// Removes a budget and its crossings; audited.
    /// - Throws: ``ErrorCode/billingBudgetNotFound``.
    public func removeBudget(scope: BudgetScope, target: String, by actor: String) async throws {
        let audit = self.audit
        try await store.transaction { db in
            guard let budget = try await BudgetRecords.budget(scope, target: target, in: db) else {
                throw PlatformError(.billingBudgetNotFound, "there is no \(scope.rawValue) budget for \(target)",
                                    details: ["scope": scope.rawValue, "target": target])
            }
            try await db.raw("DELETE FROM billing_budgets WHERE scope = \(bind: scope.rawValue) AND target = \(bind: target)").run()
            try await db.raw("DELETE FROM billing_budget_crossings WHERE scope = \(bind: scope.rawValue) AND target = \(bind: target)").run()
            try await audit.append(AuditEvent(
                actor: PrincipalID(actor), action: "billing.budget.remove", target: "budget/\(scope.rawValue)/\(target)", outcome: .success,
                details: ["limit": budget.limit.display, "currency": budget.limit.currency],
                project: scope == .project ? target : nil), tenant: budget.tenant, in: db)
        }
    }

    /// A tenant's budgets (its own first, then its projects') with this period's spending.
    public func budgets(tenant: String) async throws -> [BudgetStatus] {
        let now = clock.now()
        let period = BillingPeriod(containing: now)
        return try await store.read { db in
            var statuses: [BudgetStatus] = []
            for budget in try await BudgetRecords.budgets(tenant: tenant, in: db) {
                statuses.append(try await BudgetRecords.status(budget, period: period, now: now, in: db))
            }
            return statuses
        }
    }

    /// The project's and its tenant's budgets exhausted this period.
    public func position(project: String, tenant: String) async throws -> SpendingPosition {
        let now = clock.now()
        let period = BillingPeriod(containing: now)
        return SpendingPosition(exhausted: try await store.read { db in
            var exhausted: [BudgetStatus] = []
            for budget in try await BudgetRecords.budgets(covering: project, tenant: tenant, in: db) {
                let status = try await BudgetRecords.status(budget, period: period, now: now, in: db)
                if status.exhaustedAt != nil { exhausted.append(status) }
            }
            return exhausted
        })
    }

    /// Every budget exhausted this period, for the enforcer's sweep.
    public func exhaustedBudgets() async throws -> [BudgetStatus] {
        let now = clock.now()
        let period = BillingPeriod(containing: now)
        return try await store.read { db in
            var exhausted: [BudgetStatus] = []
            for budget in try await BudgetRecords.crossedLimit(period: period, in: db) {
                let status = try await BudgetRecords.status(budget, period: period, now: now, in: db)
                if status.exhaustedAt != nil { exhausted.append(status) }
            }
            return exhausted
        }
    }

    /// The tenant's project with the most charges in `period`: where a tenant budget's notice
    /// goes when no rating names one (a limit set below what was spent).
    static func topSpender(tenant: String, period: BillingPeriod, in db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT project_id, SUM(amount) AS spent FROM billing_rated_charges
            WHERE tenant_id = \(bind: tenant) AND period = \(bind: period.description)
            GROUP BY project_id ORDER BY spent DESC, project_id LIMIT 1
            """).first()?.decode(column: "project_id", as: String.self)
    }
}
