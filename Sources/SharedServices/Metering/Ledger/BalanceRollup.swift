import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit

/// Folds new postings into `ledger_balances` every ``interval`` and stamps the rollup's as-of
/// time in `ledger_rollup_state`.
///
/// Balances are derived, never written by the ledger writer: an entry's postings are summed
/// here afterwards, so a rating transaction touches no shared balance row (no hot row, no
/// lock between tenants). Entry `seq` is handed out under ``BillingLock`` and so is commit
/// order: everything with `seq ≤ through_seq` is folded exactly once, and a reader that sees
/// `through_seq` knows exactly which entries its balances include. A read of a rollup older
/// than the staleness budget is stamped stale instead of pretending to be current.
public struct BalanceRollup: Service {
    /// Where the rollup stands.
    public struct State: Sendable, Hashable {
        /// The last entry folded (0: none).
        public var throughSeq: Int64
        /// When the rollup last confirmed it was current (nil: never ran).
        public var asOf: Timestamp?
    }

    let store: SQLStore
    let clock: any PlatformClock
    let interval: Duration
    let logger: Logger
    /// Receives the rollup's age after every pass (`platform_billing_balance_rollup_age_seconds`).
    let publishAge: @Sendable (Duration) -> Void

    /// Most postings' seqs folded in one transaction, so a backlog (a restored database, a
    /// rollup that was down) is caught up in bounded transactions.
    static let maxEntriesPerPass: Int64 = 10_000

    /// Creates the rollup service.
    /// - Parameters:
    ///   - interval: Time between passes (`--balance-rollup-interval`, default 5 s).
    ///   - publishAge: Sets the age gauge; the age keeps growing while passes fail.
    public init(store: SQLStore, clock: any PlatformClock = SystemClock(), interval: Duration = .seconds(5), logger: Logger,
                publishAge: @escaping @Sendable (Duration) -> Void = { _ in }) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.publishAge = publishAge
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await foldAll()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("balance rollup failed", metadata: ["error": "\(error)"])
                }
                if let state = try? await Self.state(store) {
                    publishAge(Self.age(of: state, at: clock.now()))
                }
                try await clock.sleep(for: interval)
            }
        }
    }

    /// Folds until the rollup is current.
    /// - Returns: The state after the last pass.
    @discardableResult
    public func foldAll() async throws -> State {
        while true {
            let (state, folded) = try await Self.fold(store: store, at: clock.now())
            if folded < Self.maxEntriesPerPass { return state }
        }
    }

    /// One pass in one transaction: locks the state row (concurrent rollups on other replicas
    /// wait instead of folding twice), sums postings with `seq` in
    /// `(through_seq, through_seq + maxEntriesPerPass]` per account and currency into the
    /// balances, and moves `through_seq` and the as-of stamp.
    /// - Returns: The new state and how many seqs it covered.
    static func fold(store: SQLStore, at now: Timestamp) async throws -> (State, Int64) {
        try await store.transaction { db in
            try await db.raw("""
                INSERT INTO ledger_rollup_state (id, through_seq, as_of, as_of_ms) VALUES (1, 0, \(bind: now.rfc3339), 0)
                ON CONFLICT DO NOTHING
                """).run()
            let lock: SQLQueryString = store.backend == .postgres ? " FOR UPDATE" : ""
            let through = try await db.raw("SELECT through_seq FROM ledger_rollup_state WHERE id = 1\(lock)").first()?
                .decode(column: "through_seq", as: Int64.self) ?? 0
            let limit = through + maxEntriesPerPass
            // The top of the range actually committed: seq is gap-free commit order.
            let top = try await db.raw("""
                SELECT COALESCE(MAX(seq), 0) AS top FROM ledger_entries WHERE seq > \(bind: through) AND seq <= \(bind: limit)
                """).first()?.decode(column: "top", as: Int64.self) ?? 0
            if top > through {
                // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC.
                try await db.raw("""
                    INSERT INTO ledger_balances (account_id, currency, debits, credits)
                    SELECT account_id, currency,
                           CAST(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS BIGINT),
                           CAST(SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END) AS BIGINT)
                    FROM ledger_postings WHERE seq > \(bind: through) AND seq <= \(bind: top)
                    GROUP BY account_id, currency
                    ON CONFLICT (account_id, currency) DO UPDATE
                    SET debits = ledger_balances.debits + excluded.debits, credits = ledger_balances.credits + excluded.credits
                    """).run()
            }
            let newThrough = max(top, through)
            try await db.raw("""
                UPDATE ledger_rollup_state SET through_seq = \(bind: newThrough), as_of = \(bind: now.rfc3339),
                    as_of_ms = \(bind: Int64(now.millisecondsSinceEpoch)) WHERE id = 1
                """).run()
            return (State(throughSeq: newThrough, asOf: now), newThrough - through)
        }
    }

    /// The rollup's state (through seq 0 and no as-of before its first pass).
    public static func state(_ store: SQLStore) async throws -> State {
        try await store.read { db in try await state(db) }
    }

    static func state(_ db: any SQLDatabase) async throws -> State {
        guard let row = try await db.raw("SELECT through_seq, as_of_ms FROM ledger_rollup_state WHERE id = 1").first() else {
            return State(throughSeq: 0, asOf: nil)
        }
        let ms = try row.decode(column: "as_of_ms", as: Int64.self)
        return State(throughSeq: try row.decode(column: "through_seq", as: Int64.self),
                     asOf: ms > 0 ? Timestamp(millisecondsSinceEpoch: UInt64(ms)) : nil)
    }

    /// Time since the rollup last confirmed it was current; a rollup that never ran is
    /// infinitely old (reported as the time since the epoch).
    static func age(of state: State, at now: Timestamp) -> Duration {
        let asOf = state.asOf?.millisecondsSinceEpoch ?? 0
        return .milliseconds(Int64(now.millisecondsSinceEpoch) - Int64(min(asOf, now.millisecondsSinceEpoch)))
    }

    /// Whole milliseconds of a duration, as a signed count (named apart from other modules'
    /// `Duration` helpers so the two never collide).
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
