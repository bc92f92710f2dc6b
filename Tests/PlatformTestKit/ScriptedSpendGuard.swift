import PlatformContracts
import Synchronization

/// A ``SpendGuard`` whose exhausted budgets a test sets: no budget is exhausted until it says
/// so. The instance core's tests use it where the metering service is not under test.
public final class ScriptedSpendGuard: SpendGuard {
    private let state = Mutex<[BudgetStatus]>([])

    /// Creates a guard with nothing exhausted.
    public init() {}

    /// The budgets reported exhausted from now on.
    public var exhausted: [BudgetStatus] {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    public func position(project: String, tenant: String) async throws -> SpendingPosition {
        SpendingPosition(exhausted: exhausted.filter {
            ($0.budget.scope == .project && $0.budget.target == project) || ($0.budget.scope == .tenant && $0.budget.target == tenant)
        })
    }

    public func exhaustedBudgets() async throws -> [BudgetStatus] { exhausted }
}
