import Logging
import PlatformContracts
import PlatformStore
import SQLKit
import ServiceLifecycle

/// Turns queued usage events into rated charges and ledger entries: a `Service` that wakes
/// when usage is ingested (``RatingSignal``) and every ``interval``, and rates the oldest
/// queued events (up to ``batchSize``) in ONE transaction — rated charge, journal entry and
/// postings, the `usage.rated` notice, budget thresholds, and the queue row's deletion — so a
/// crash anywhere leaves either all of an event's effects or none, and nothing is rated twice.
///
/// Prices come only from the policy snapshot (`snapshot(for: .financial)`): a stale snapshot,
/// or an event with no price, leaves its queue row in place with `attempts` and `last_error`,
/// and it is rated by a later pass once the price exists. Usage is never skipped.
public struct RatingWorker: Service {
    /// Metric hooks.
    public struct Observers: Sendable {
        /// Each event rated, with the time from its recording to its rating.
        public var rated: @Sendable (_ lag: Duration) -> Void = { _ in }
        /// Events still waiting in the queue after a pass.
        public var unrated: @Sendable (_ count: Int64) -> Void = { _ in }

        /// No-op hooks.
        public init() {}
    }

    let store: SQLStore
    let policy: any PolicyEvaluator
    let units: UsageUnitRegistry
    let signal: RatingSignal
    /// The longest wait between passes without a wake-up (`--rating-interval`, default 1 s).
    public let interval: Duration
    /// The most events one transaction rates.
    public let batchSize: Int
    let clock: any PlatformClock
    /// The last transaction's outcome (`/readyz` `ledger:writer`).
    public let health: RatingHealth
    let observers: Observers
    let logger: Logger

    /// Creates a worker.
    /// - Parameters:
    ///   - policy: Source of the snapshot (plan, `billing.prepaid`, price book) each pass rates with.
    ///   - units: Precision of each unit.
    ///   - signal: Woken by the usage log's `onIngest`.
    public init(store: SQLStore, policy: any PolicyEvaluator, units: UsageUnitRegistry, signal: RatingSignal = RatingSignal(),
                interval: Duration = .seconds(1), batchSize: Int = 500, clock: any PlatformClock = SystemClock(),
                health: RatingHealth = RatingHealth(), observers: Observers = Observers(),
                logger: Logger = Logger(label: "platform.billing.rating")) {
        self.store = store
        self.policy = policy
        self.units = units
        self.signal = signal
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.clock = clock
        self.health = health
        self.observers = observers
        self.logger = logger
    }

    /// Rates until cancelled or the group shuts down gracefully: a pass that rated a full batch
    /// runs again at once; otherwise it waits for a wake-up or ``interval``.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var full = false
                do {
                    let pass = try await rateQueued()
                    full = pass.rated + pass.waiting >= batchSize && pass.rated > 0
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("rating pass failed; usage stays queued", metadata: ["error": "\(error)"])
                }
                if !full { await signal.wait(timeout: interval) }
            }
        }
    }

    /// What one pass did.
    public struct Pass: Sendable, Hashable {
        /// Events rated (charged, and reversed when they correct an earlier one).
        public var rated: Int
        /// Claimed events left queued (no price, unknown unit, waiting for the event they correct).
        public var waiting: Int
        /// Events left in the queue after the pass.
        public var unrated: Int64
    }

    /// One pass: rates the oldest queued events in one transaction.
    /// - Throws: What stopped the transaction (a stale policy snapshot, the database); the
    ///   events stay queued and ``health`` records the failure.
    @discardableResult
    public func rateQueued() async throws -> Pass {
        let started = clock.now()
        do {
            // An empty queue needs no write transaction (SQLite's one writer) and no snapshot.
            guard try await Self.unratedCount(store) > 0 else {
                health.succeeded(at: started)
                observers.unrated(0)
                return Pass(rated: 0, waiting: 0, unrated: 0)
            }
            let snapshot = try await policy.snapshot(for: .financial)
            let (rated, waiting) = try await ratePass(snapshot: snapshot, now: started)
            let unrated = try await Self.unratedCount(store)
            health.succeeded(at: started)
            for lag in rated { observers.rated(lag) }
            observers.unrated(unrated)
            return Pass(rated: rated.count, waiting: waiting, unrated: unrated)
        } catch {
            health.failed(at: started, error: "\(error)")
            try? await recordFailedAttempt(error)
            if let unrated = try? await Self.unratedCount(store) { observers.unrated(unrated) }
            throw error
        }
    }

    /// Events waiting to be rated.
    public static func unratedCount(_ store: SQLStore) async throws -> Int64 {
        try await store.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM metering_rating_queue").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
    }

    /// A pass that could not run (stale snapshot, failed transaction) still counts an attempt
    /// on the rows it would have rated, with the reason: the queue shows why usage waits.
    private func recordFailedAttempt(_ error: any Error) async throws {
        let reason = (error as? PlatformError).map { "\($0.code.rawValue): \($0.message)" } ?? "\(error)"
        // One statement for the whole batch (a stale snapshot fails every pass until it is fresh).
        try await store.transaction { db in
            try await db.raw("""
                UPDATE metering_rating_queue SET attempts = attempts + 1, last_error = \(bind: reason)
                WHERE (source, id) IN (
                  SELECT source, id FROM metering_rating_queue ORDER BY attempts, recorded_ms, source, id LIMIT \(bind: batchSize))
                """).run()
        }
    }
}
