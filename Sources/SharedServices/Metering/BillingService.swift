import Logging
import PlatformContracts
import PlatformStore

/// The billing side of the metering service: rating, the double-entry ledger, balances,
/// budgets and statements (``BillingLedger``), and the spending position the app platform
/// enforces (``SpendGuard``). Each concern lives in its own `BillingService+<Feature>.swift`
/// (balances, budgets, credits, entries, statements); rating runs as ``RatingWorker``.
public struct BillingService: BillingLedger, SpendGuard {
    let store: SQLStore
    /// The price book (currency and scale of grants and budgets; rating's prices) and the
    /// financial freshness check.
    let policy: any PolicyEvaluator
    /// Credit grants and budget changes are audited in their own transaction.
    let audit: any TransactionalAuditing
    /// Stamps grants, budget changes and threshold crossings.
    let clock: any PlatformClock
    let logger: Logger
    /// How old the balance rollup may be before a balance read is stamped stale
    /// (`--balance-staleness-budget`, default 60 s).
    public var balanceStalenessBudget: Duration = .seconds(60)
    /// The usage-unit registry: statements and usage summaries show quantities in whole units
    /// at each unit's precision (the composition sets the registry's).
    public var units = UsageUnitRegistry(version: 0, units: [])

    /// Creates the service over the platform store.
    public init(store: SQLStore, policy: any PolicyEvaluator, audit: any TransactionalAuditing, clock: any PlatformClock = SystemClock(),
                logger: Logger) {
        self.store = store
        self.policy = policy
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }
}
