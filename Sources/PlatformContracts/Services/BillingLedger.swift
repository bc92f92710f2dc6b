/// The billing contract (implemented by the metering service's `BillingService`): what the
/// API and CLI read and change. Usage comes in through ``UsageRecorder``; a rating worker
/// turns it into rated charges posted to the double-entry ledger.
public protocol BillingLedger: Sendable {
    /// Usage and rated amounts of a project or a tenant (exactly one given) since `since`.
    func usageSummary(tenant: String?, project: String?, since: Timestamp, groupBy: UsageGrouping) async throws -> UsageSummary

    /// A tenant's balances from the rollup, stamped with its as-of time.
    func balance(tenant: String) async throws -> BalanceReport

    /// A tenant's statement for a period: computed while open, stored once closed.
    /// - Throws: `billing.period_invalid` for a period that has not started.
    func statement(tenant: String, period: BillingPeriod) async throws -> Statement

    /// Closes a tenant's statement for an ended period (idempotent), stores it and announces
    /// `statement.closed` through the outbox.
    func closeStatement(tenant: String, period: BillingPeriod, by actor: String) async throws -> Statement

    /// Posts promotional credit (idempotent by ``CreditGrant/id``); audited.
    func grantCredit(_ grant: CreditGrant, by actor: String) async throws -> JournalEntry

    /// Creates or replaces a budget; audited.
    func setBudget(scope: BudgetScope, target: String, tenant: String, limit: Int64, thresholds: [Int], by actor: String) async throws
        -> BudgetStatus

    /// Removes a budget; audited. - Throws: `billing.budget_not_found`.
    func removeBudget(scope: BudgetScope, target: String, by actor: String) async throws

    /// A tenant's budgets (its own and its projects') with this period's spending.
    func budgets(tenant: String) async throws -> [BudgetStatus]

    /// A tenant's journal entries, newest first.
    func entries(tenant: String, limit: Int) async throws -> [JournalEntry]

    /// Checks every ledger invariant over the whole ledger.
    func verify() async throws -> LedgerVerification
}

/// A project's spending position for admission and for the budget enforcer (implemented by
/// the metering service; the app platform reads it through this contract only).
public struct SpendingPosition: Sendable, Hashable {
    /// Budgets (the project's and its tenant's) at or past 100 % this period, with when.
    public var exhausted: [BudgetStatus]

    /// Creates a position.
    public init(exhausted: [BudgetStatus]) {
        self.exhausted = exhausted
    }
}

/// The budget side the app platform enforces: admission refuses launches of a project whose
/// (or whose tenant's) budget is exhausted, and the enforcer stops running instances after the
/// grace period where policy says so.
public protocol SpendGuard: Sendable {
    /// The project's position this period.
    func position(project: String, tenant: String) async throws -> SpendingPosition

    /// Every budget exhausted this period, for the enforcer's sweep.
    func exhaustedBudgets() async throws -> [BudgetStatus]
}
