import PlatformContracts
import PlatformStore
import SQLKit

/// `/readyz`'s `ledger:writer`: whether usage is being rated into the ledger.
///
/// Usage is buffered durably whatever happens, so a writer that cannot write loses nothing —
/// but money stops moving, and that must be visible. The check reads the rating queue: it
/// fails when the oldest queued event has waited longer than ``threshold`` (30 s) and the
/// writer's last attempt failed (a queue row carries `last_error`, or the worker reports its
/// last transaction failed); it warns when events wait that long without a failure (a slow or
/// stopped worker); otherwise it passes, reporting the oldest wait.
public struct LedgerWriterHealthCheck: HealthCheck {
    public let key = "ledger:writer"
    let store: SQLStore
    let clock: any PlatformClock
    let threshold: Duration
    /// The rating worker's own view of its last transaction (true: it failed), when wired.
    let lastTransactionFailed: @Sendable () -> Bool

    /// Creates the check.
    /// - Parameters:
    ///   - threshold: How long the oldest queued event may wait (default 30 s).
    ///   - lastTransactionFailed: The rating worker's last-transaction state (default: the
    ///     queue's `last_error` alone decides).
    public init(store: SQLStore, clock: any PlatformClock = SystemClock(), threshold: Duration = .seconds(30),
                lastTransactionFailed: @escaping @Sendable () -> Bool = { false }) {
        self.store = store
        self.clock = clock
        self.threshold = threshold
        self.lastTransactionFailed = lastTransactionFailed
    }

    public func check() async -> HealthCheckResult {
        do {
            let queue = try await Self.queue(store)
            let now = Int64(clock.now().millisecondsSinceEpoch)
            let waited = queue.oldestMs.map { max(0, now - $0) } ?? 0
            let seconds = waited / 1000
            let failing = queue.failing > 0 || lastTransactionFailed()
            guard waited > BalanceRollup.milliseconds(threshold) else {
                return HealthCheckResult(status: .pass, componentType: "component", observedValue: seconds, observedUnit: "s")
            }
            let limit = BalanceRollup.milliseconds(threshold) / 1000
            if failing {
                return HealthCheckResult(
                    status: .fail, componentType: "component", observedValue: seconds, observedUnit: "s",
                    output: "the ledger writer is failing (\(queue.failing) queued events last failed: \(queue.lastError ?? "the rating transaction failed")); the oldest of \(queue.pending) buffered usage events has waited \(seconds) s (over \(limit) s). Usage stays buffered and is rated once the writer recovers")
            }
            return HealthCheckResult(
                status: .warn, componentType: "component", observedValue: seconds, observedUnit: "s",
                output: "the oldest of \(queue.pending) usage events waiting for rating has waited \(seconds) s (over \(limit) s)")
        } catch {
            return HealthCheckResult(status: .fail, componentType: "component",
                                     output: "the rating queue cannot be read, so the ledger writer cannot write either: \(error)")
        }
    }

    /// The queue's size, oldest entry and failing rows, in one query.
    static func queue(_ store: SQLStore) async throws -> (pending: Int64, oldestMs: Int64?, failing: Int64, lastError: String?) {
        try await store.read { db in
            let row = try await db.raw("""
                SELECT COUNT(*) AS pending, MIN(recorded_ms) AS oldest,
                       COUNT(last_error) AS failing, MAX(last_error) AS last_error
                FROM metering_rating_queue
                """).first()
            return (try row?.decode(column: "pending", as: Int64.self) ?? 0, try row?.decode(column: "oldest", as: Int64?.self),
                    try row?.decode(column: "failing", as: Int64.self) ?? 0, try row?.decode(column: "last_error", as: String?.self))
        }
    }
}
