import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// Reads budgets, what was spent against them and their crossings, on any connection (a
/// read, or the rating transaction through ``BudgetThresholds``). Spending is summed from
/// the rated charges of the period, so it is exact and net of reversals whatever the
/// balance rollup's age.
enum BudgetRecords {
    /// The budget of `scope`/`target`, if one is set.
    static func budget(_ scope: BudgetScope, target: String, in db: any SQLDatabase) async throws -> Budget? {
        try await db.raw("SELECT * FROM billing_budgets WHERE scope = \(bind: scope.rawValue) AND target = \(bind: target)")
            .first().map(decode)
    }

    /// A tenant's budgets: its own and its projects', tenant first, then by target.
    static func budgets(tenant: String, in db: any SQLDatabase) async throws -> [Budget] {
        try await db.raw("SELECT * FROM billing_budgets WHERE tenant_id = \(bind: tenant) ORDER BY scope DESC, target")
            .all().map(decode)
    }

    /// The budgets that limit `project`: its own and its tenant's.
    static func budgets(covering project: String, tenant: String, in db: any SQLDatabase) async throws -> [Budget] {
        try await db.raw("""
            SELECT * FROM billing_budgets
            WHERE (scope = \(bind: BudgetScope.project.rawValue) AND target = \(bind: project))
               OR (scope = \(bind: BudgetScope.tenant.rawValue) AND target = \(bind: tenant))
            ORDER BY scope DESC, target
            """).all().map(decode)
    }

    /// The budgets that crossed 100 % in `period`, for the enforcer's sweep: only they can be
    /// exhausted (rating and `setBudget` record the crossing), so the sweep every few seconds
    /// reads their spending, not every budget's.
    static func crossedLimit(period: BillingPeriod, in db: any SQLDatabase) async throws -> [Budget] {
        try await db.raw("""
            SELECT b.* FROM billing_budgets b JOIN billing_budget_crossings c
              ON c.scope = b.scope AND c.target = b.target AND c.period = \(bind: period.description) AND c.threshold = 100
            ORDER BY b.tenant_id, b.scope DESC, b.target
            """).all().map(decode)
    }

    /// Charges net of reversals in `period`, in the budget's currency, against its target.
    static func spent(_ budget: Budget, period: BillingPeriod, in db: any SQLDatabase) async throws -> Int64 {
        let column: SQLQueryString = budget.scope == .tenant ? "tenant_id" : "project_id"
        let row = try await db.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS spent FROM billing_rated_charges
            WHERE \(column) = \(bind: budget.target) AND period = \(bind: period.description) AND currency = \(bind: budget.limit.currency)
            """).first()
        return try row?.decode(column: "spent", as: Int64.self) ?? 0
    }

    /// The thresholds crossed in `period`, with when.
    static func crossings(_ budget: Budget, period: BillingPeriod, in db: any SQLDatabase) async throws -> [Int: Timestamp] {
        let rows = try await db.raw("""
            SELECT threshold, crossed_ms FROM billing_budget_crossings
            WHERE scope = \(bind: budget.scope.rawValue) AND target = \(bind: budget.target) AND period = \(bind: period.description)
            """).all()
        var crossed: [Int: Timestamp] = [:]
        for row in rows {
            crossed[try row.decode(column: "threshold", as: Int.self)] =
                Timestamp(millisecondsSinceEpoch: UInt64(max(0, try row.decode(column: "crossed_ms", as: Int64.self))))
        }
        return crossed
    }

    /// The budget with this period's spending. It is exhausted while the spending is at or
    /// past the limit, since the 100 % crossing (or now, if it was never recorded).
    static func status(_ budget: Budget, period: BillingPeriod, now: Timestamp, in db: any SQLDatabase) async throws -> BudgetStatus {
        let spent = try await spent(budget, period: period, in: db)
        let crossed = try await crossings(budget, period: period, in: db)
        let percent = percent(spent: spent, limit: budget.limit.amount)
        return BudgetStatus(budget: budget, period: period, spent: Money(currency: budget.limit.currency, amount: spent, scale: budget.limit.scale),
                            percent: percent, crossed: crossed.keys.sorted(),
                            exhaustedAt: percent >= 100 ? crossed[100] ?? now : nil)
    }

    /// `spent × 100 ÷ limit`, rounded down, in 128-bit arithmetic (never traps), 0 below zero.
    static func percent(spent: Int64, limit: Int64) -> Int {
        guard limit > 0, spent > 0 else { return 0 }
        return Int(clamping: Int128(spent) * 100 / Int128(limit))
    }

    /// `[50, 80, 100]` as stored.
    static func encode(thresholds: [Int]) -> String { "[" + thresholds.map(String.init).joined(separator: ",") + "]" }

    private static func decode(_ row: any SQLRow) throws -> Budget {
        let text = try row.decode(column: "thresholds", as: String.self)
        let thresholds = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap { Int($0) }
        let currency = try row.decode(column: "currency", as: String.self)
        return Budget(
            scope: BudgetScope(rawValue: try row.decode(column: "scope", as: String.self)) ?? .project,
            target: try row.decode(column: "target", as: String.self), tenant: try row.decode(column: "tenant_id", as: String.self),
            limit: Money(currency: currency, amount: try row.decode(column: "limit_amount", as: Int64.self),
                         scale: try row.decode(column: "asset_scale", as: Int.self)),
            thresholds: thresholds,
            updatedAt: Timestamp(rfc3339: try row.decode(column: "updated_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }
}
