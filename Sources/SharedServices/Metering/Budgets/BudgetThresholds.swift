import PlatformContracts
import PlatformStore
import SQLKit

/// Records budget threshold crossings and announces them (`billing.budget`) on the caller's
/// transaction — the rating transaction that posted the charges — so a crossing exists exactly
/// when the spending that caused it committed.
enum BudgetThresholds {
    /// Evaluates the project's and its tenant's budgets for `period` after charges were posted.
    static func evaluate(tenant: String, project: String, period: BillingPeriod, at: Timestamp, in db: any SQLDatabase) async throws {}
}
