import Logging
import PlatformContracts
import PlatformStore

/// The billing side of the metering service: rating, the double-entry ledger, balances,
/// budgets and statements (``BillingLedger``), and the spending position the app platform
/// enforces (``SpendGuard``).
///
/// SCAFFOLD (issue 19, in progress): every method below is replaced by its owner before the
/// issue closes; none may ship throwing `notBuilt`.
public struct BillingService: BillingLedger, SpendGuard {
    let store: SQLStore
    let logger: Logger
    /// How old the balance rollup may be before a balance read is stamped stale
    /// (`--balance-staleness-budget`, default 60 s).
    public var balanceStalenessBudget: Duration = .seconds(60)

    /// Creates the service over the platform store.
    public init(store: SQLStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    static func notBuilt(_ what: String) -> PlatformError { PlatformError(.storeQueryFailed, "\(what) is not built yet") }

    public func usageSummary(tenant: String?, project: String?, since: Timestamp, groupBy: UsageGrouping) async throws -> UsageSummary {
        throw Self.notBuilt("usage summary")
    }
    public func statement(tenant: String, period: BillingPeriod) async throws -> Statement { throw Self.notBuilt("statement") }
    public func closeStatement(tenant: String, period: BillingPeriod, by actor: String) async throws -> Statement {
        throw Self.notBuilt("statement close")
    }
    public func grantCredit(_ grant: CreditGrant, by actor: String) async throws -> JournalEntry { throw Self.notBuilt("credit grant") }
    public func setBudget(scope: BudgetScope, target: String, tenant: String, limit: Int64, thresholds: [Int], by actor: String) async throws
        -> BudgetStatus
    { throw Self.notBuilt("budgets") }
    public func removeBudget(scope: BudgetScope, target: String, by actor: String) async throws { throw Self.notBuilt("budgets") }
    public func budgets(tenant: String) async throws -> [BudgetStatus] { throw Self.notBuilt("budgets") }
    public func position(project: String, tenant: String) async throws -> SpendingPosition { SpendingPosition(exhausted: []) }
    public func exhaustedBudgets() async throws -> [BudgetStatus] { [] }
}
