/// Whose spending a budget limits.
public enum BudgetScope: String, Sendable, Codable, Hashable, CaseIterable {
    case tenant, project
}

/// A monthly spending budget with notification thresholds (percent of ``limit``). At 100 %
/// policy decides: new launches are refused, and with `billing.budget_stops_running` running
/// instances stop after `billing.budget_grace_seconds`.
public struct Budget: Sendable, Codable, Hashable {
    public var scope: BudgetScope
    /// The tenant id or project id.
    public var target: String
    /// The tenant it belongs to.
    public var tenant: String
    /// The limit per calendar month.
    public var limit: Money
    /// Ascending percents (`[50, 80, 100]`); each crossing notifies once per period.
    public var thresholds: [Int]
    public var updatedAt: Timestamp
    public var updatedBy: String

    /// Creates a budget.
    public init(scope: BudgetScope, target: String, tenant: String, limit: Money, thresholds: [Int], updatedAt: Timestamp, updatedBy: String) {
        self.scope = scope
        self.target = target
        self.tenant = tenant
        self.limit = limit
        self.thresholds = thresholds
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A budget and what was spent against it this period.
public struct BudgetStatus: Sendable, Codable, Hashable {
    public var budget: Budget
    public var period: BillingPeriod
    /// Charges (net of reversals) this period, promotional credit included.
    public var spent: Money
    /// `spent × 100 ÷ limit`, rounded down.
    public var percent: Int
    /// Thresholds crossed this period.
    public var crossed: [Int]
    /// When spending first reached 100 % this period; nil while under.
    public var exhaustedAt: Timestamp?

    /// Creates a status.
    public init(budget: Budget, period: BillingPeriod, spent: Money, percent: Int, crossed: [Int], exhaustedAt: Timestamp?) {
        self.budget = budget
        self.period = period
        self.spent = spent
        self.percent = percent
        self.crossed = crossed
        self.exhaustedAt = exhaustedAt
    }
}

/// Promotional credit a platform admin grants a tenant (`appctl billing credit grant`).
public struct CreditGrant: Sendable, Codable, Hashable {
    /// Idempotency key chosen by the caller (a retried grant posts once).
    public var id: String
    public var tenant: String
    public var amount: Money
    public var reason: String

    /// Creates a grant.
    public init(id: String, tenant: String, amount: Money, reason: String) {
        self.id = id
        self.tenant = tenant
        self.amount = amount
        self.reason = reason
    }
}
