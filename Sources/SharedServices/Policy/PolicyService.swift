import Logging
import PlatformContracts
import PlatformStore
import Synchronization

/// The policy shared service: decisions from a local, immutable ``PolicySnapshot``; every
/// change a new snapshot row written with its audit record in one transaction.
///
/// The replica remembers when it last confirmed that its snapshot is the newest
/// (``refresh()``, called by ``PolicyRefresher``). A write decision (``snapshot(for:)``)
/// past the freshness budget fails closed with ``ErrorCode/policyStale``; a read
/// (``read()``) never fails and is stamped with the age instead.
///
/// ```swift
/// let policy = PolicyService(store: store, audit: audit, registry: registrySet.policies, defaultPlan: "plan.standard")
/// let snapshot = try await policy.snapshot(for: .capacity)
/// let limit = snapshot.integer("quota.concurrent_instances", project: project, tenant: tenant)
/// ```
public final class PolicyService: PolicyEvaluator, PolicyAdministration {
    /// Freshness settings.
    public struct Settings: Sendable {
        /// How old the confirmation of the local snapshot may be before writes fail closed.
        public var freshnessBudget: Duration = .seconds(300)
        /// Creates settings.
        public init(freshnessBudget: Duration = .seconds(300)) {
            self.freshnessBudget = freshnessBudget
        }
    }

    /// Hooks for metrics, so this module does not depend on a metrics library.
    public struct Observers: Sendable {
        /// Called with the snapshot's age whenever it is measured (a gauge).
        public var snapshotAge: @Sendable (Duration) -> Void = { _ in }
        /// Called once per write refused as stale (a counter labelled by write class).
        public var staleReject: @Sendable (PolicyWrite) -> Void = { _ in }
        /// Creates observers that do nothing.
        public init() {}
    }

    struct State {
        var current: PolicySnapshot?
        var confirmedAt: Timestamp?
    }

    let store: SQLStore
    let audit: any TransactionalAuditing
    let registry: PolicyRegistry
    /// The price book of this replica (`price-book.yaml`): carried in every snapshot, since
    /// rating reads prices only from the snapshot it decides with.
    let priceBook: PriceBook?
    /// The plan of a tenant with none assigned (`--quota-plan`).
    public let defaultPlan: String
    let clock: any PlatformClock
    /// The freshness settings.
    public let settings: Settings
    let observers: Observers
    let logger: Logger
    let state = Mutex(State())
    let started: Timestamp

    /// Creates the service; nothing is read until ``load()``, ``refresh()`` or a first decision.
    /// - Parameters:
    ///   - store: Holds `policy_snapshots` (``PolicySchema``).
    ///   - audit: Appends each change's record in the change's transaction.
    ///   - registry: The policy registry of this replica (`policies.yaml`).
    ///   - defaultPlan: The plan of tenants with none assigned.
    ///   - priceBook: The price book every snapshot carries (`price-book.yaml`).
    ///   - clock: Measures the snapshot's age (a manual clock in tests).
    public init(store: SQLStore, audit: any TransactionalAuditing, registry: PolicyRegistry, defaultPlan: String,
                priceBook: PriceBook? = nil, clock: any PlatformClock = SystemClock(), settings: Settings = Settings(), observers: Observers = Observers(),
                logger: Logger = Logger(label: "platform.policy")) {
        self.store = store
        self.audit = audit
        self.registry = registry
        self.defaultPlan = defaultPlan
        self.priceBook = priceBook
        self.clock = clock
        self.settings = settings
        self.observers = observers
        self.logger = logger
        started = clock.now()
    }

    // MARK: PolicyEvaluator

    /// The snapshot a write decides with, loading it on first use.
    /// - Throws: ``ErrorCode/policyStale`` past the freshness budget (details `age_ms`,
    ///   `budget_ms`, `snapshot`, `write`); store errors when the first load fails.
    public func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot {
        let snapshot = try await loaded()
        let age = self.age
        observers.snapshotAge(age)
        guard age <= settings.freshnessBudget else {
            observers.staleReject(write)
            throw PlatformError(
                .policyStale,
                "policy snapshot \(snapshot.id) was last confirmed \(age.wholeMilliseconds) ms ago, past the \(settings.freshnessBudget.wholeMilliseconds) ms freshness budget, so \(write.rawValue) writes are refused until it is refreshed",
                details: ["age_ms": "\(age.wholeMilliseconds)", "budget_ms": "\(settings.freshnessBudget.wholeMilliseconds)",
                          "snapshot": snapshot.id, "write": write.rawValue])
        }
        return snapshot
    }

    /// The current snapshot stamped with its age; never fails. Before any snapshot could be
    /// loaded it is the registry's own (version 0, id `registry`), stale.
    public func read() async -> PolicyRead {
        if state.withLock({ $0.current == nil }) { _ = try? await load() }
        guard let snapshot = state.withLock({ $0.current }) else {
            let age = clock.now().milliseconds(since: started)
            observers.snapshotAge(age)
            return PolicyRead(snapshot: registrySnapshot(id: "registry", version: 0, base: nil), age: age, stale: true)
        }
        let age = self.age
        observers.snapshotAge(age)
        return PolicyRead(snapshot: snapshot, age: age, stale: age > settings.freshnessBudget)
    }

    /// Time since the local snapshot was last confirmed the newest (since start before that).
    public var age: Duration {
        let confirmed = state.withLock { $0.confirmedAt } ?? started
        return clock.now().milliseconds(since: confirmed)
    }

    /// The local snapshot, loading it first if none is.
    func loaded() async throws -> PolicySnapshot {
        if let current = state.withLock({ $0.current }) { return current }
        return try await load()
    }

    /// Takes `snapshot` as current when it is at least as new as the current one, confirmed at `time`.
    func adopt(_ snapshot: PolicySnapshot, confirmedAt time: Timestamp) {
        state.withLock { state in
            if let current = state.current, current.version > snapshot.version { return }
            state.current = snapshot
            if let confirmed = state.confirmedAt, confirmed > time { return }
            state.confirmedAt = time
        }
    }
}

extension Timestamp {
    /// The non-negative time from `earlier` to this instant.
    func milliseconds(since earlier: Timestamp) -> Duration {
        .milliseconds(Int64(millisecondsSinceEpoch) - Int64(min(earlier.millisecondsSinceEpoch, millisecondsSinceEpoch)))
    }
}
