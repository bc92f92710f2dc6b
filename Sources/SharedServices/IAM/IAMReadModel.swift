import Foundation
import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import Synchronization

/// The IAM read model: an in-process cache of API keys (by lookup id) and of each
/// principal's memberships, so that authenticating and authorizing a request does not read
/// the database each time (the seed: "authorize p99 < 20 ms from a local read model; cached
/// reads allowed only within freshness budget").
///
/// What is cached and how it goes stale:
/// - An entry older than ``budget`` is never served: it is read again. That bounds how long a
///   change can go unseen, whatever happens to notifications.
/// - Every IAM write (key create/rotate/revoke, account create/delete) drops the whole cache
///   in its own process after commit (``invalidateAll()``), and notifies ``StoreChannel/iam``
///   inside its transaction; every replica listening on PostgreSQL (``IAMChangeListener``)
///   drops its cache when the commit's notification arrives.
/// - While a replica is not listening (before the first `LISTEN`, or after the connection
///   dropped) it serves nothing from the cache: every request reads the database, as before
///   the cache existed. So a lost notification costs at most the budget, and a lost listener
///   costs only speed.
/// - A read that raced with an invalidation is not stored (a generation number), so a value
///   read before a revoke cannot be cached after it.
///
/// Nothing here is correctness state: the tables are the truth and the cache can be dropped
/// at any time. Key secrets are stored only as their SHA-256, as in the table.
public final class IAMReadModel: Sendable {
    /// A key row, as the authorizer needs it.
    struct KeyEntry: Sendable {
        let secretHash: String
        let principalId: String
        let principalName: String
        let principalKind: String
        let tenantId: String?
        let projectId: String?
        let scopes: String
        let expiresAt: String
        let revoked: Bool
        let principalDeleted: Bool
    }

    /// One membership row.
    struct Membership: Sendable {
        let reach: String
        let reachId: String
        let role: String
    }

    private struct Timed<Value: Sendable>: Sendable {
        let value: Value
        let loadedAt: ContinuousClock.Instant
    }

    private struct State: Sendable {
        var keys: [String: Timed<KeyEntry>] = [:]
        var memberships: [String: Timed<[Membership]>] = [:]
        var generation: UInt64 = 0
        var listening = false
    }

    /// The longest an entry is served after it was read.
    public let budget: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())
    /// Told each lookup: whether it was served from the cache, and the served entry's age
    /// (`platform_iam_cache_lookups_total{result}`, `platform_iam_cache_age_seconds`).
    let onLookup: (@Sendable (_ hit: Bool, _ age: Duration) -> Void)?

    /// The largest number of keys held; past it the cache starts over (a key-spraying client
    /// cannot grow it without bound: only valid keys are stored anyway).
    static let capacity = 100_000

    /// Creates an empty read model.
    /// - Parameters:
    ///   - budget: How long an entry may be served; 1 s … 5 min.
    ///   - listening: Whether invalidations arrive (on SQLite: true, every writer is in this
    ///     process; on PostgreSQL: false until ``IAMChangeListener`` listens).
    ///   - now: The clock entries are aged by.
    public init(budget: Duration, listening: Bool, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                onLookup: (@Sendable (Bool, Duration) -> Void)? = nil) {
        self.budget = budget
        self.now = now
        self.onLookup = onLookup
        state.withLock { $0.listening = listening }
    }

    /// Drops everything (an IAM write committed here or elsewhere).
    public func invalidateAll() {
        state.withLock {
            $0.keys.removeAll(keepingCapacity: true)
            $0.memberships.removeAll(keepingCapacity: true)
            $0.generation &+= 1
        }
    }

    /// Whether notifications arrive; while not, the cache serves nothing.
    public func setListening(_ listening: Bool) {
        state.withLock {
            $0.listening = listening
            $0.keys.removeAll()
            $0.memberships.removeAll()
            $0.generation &+= 1
        }
    }

    /// Whether notifications arrive (and so whether the cache serves).
    public var isListening: Bool { state.withLock { $0.listening } }

    /// Applies what a listener on ``StoreChannel/iam`` heard.
    public func hear(_ event: StoreChannelEvent) {
        switch event {
        case .listening: setListening(true)
        case .notified: invalidateAll()
        case .lost: setListening(false)
        }
    }

    /// The generation a read starts at; ``store(key:_:generation:)`` stores only if unchanged.
    func generation() -> UInt64 { state.withLock { $0.generation } }

    func key(_ id: String) -> KeyEntry? { lookup(\.keys, id) }

    func memberships(of principal: String) -> [Membership]? { lookup(\.memberships, principal) }

    func store(key id: String, _ entry: KeyEntry, generation: UInt64) {
        let loadedAt = now()
        state.withLock {
            guard $0.listening, $0.generation == generation else { return }
            if $0.keys.count >= Self.capacity { $0.keys.removeAll() }
            $0.keys[id] = Timed(value: entry, loadedAt: loadedAt)
        }
    }

    func store(memberships: [Membership], of principal: String, generation: UInt64) {
        let loadedAt = now()
        state.withLock {
            guard $0.listening, $0.generation == generation else { return }
            if $0.memberships.count >= Self.capacity { $0.memberships.removeAll() }
            $0.memberships[principal] = Timed(value: memberships, loadedAt: loadedAt)
        }
    }

    private func lookup<Value>(_ path: KeyPath<State, [String: Timed<Value>]>, _ id: String) -> Value? {
        let current = now()
        let found: (Value, Duration)? = state.withLock { state in
            guard state.listening, let entry = state[keyPath: path][id] else { return nil }
            let age = current - entry.loadedAt
            return age < budget ? (entry.value, age) : nil
        }
        onLookup?(found != nil, found?.1 ?? .zero)
        return found?.0
    }
}

/// Keeps an ``IAMReadModel`` told of IAM writes committed by any replica: `LISTEN` on
/// ``StoreChannel/iam`` (PostgreSQL), reconnecting after a loss; on SQLite there is nothing
/// to hear from (one process per database file) and it only waits for shutdown.
public struct IAMChangeListener: Service {
    let store: SQLStore
    let model: IAMReadModel
    let logger: Logger

    /// Creates the listener.
    public init(store: SQLStore, model: IAMReadModel, logger: Logger) {
        self.store = store
        self.model = model
        self.logger = logger
    }

    /// Listens until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [store, model, logger] in
            await store.listen(.iam, logger: logger) { model.hear($0) }
        }
    }
}
