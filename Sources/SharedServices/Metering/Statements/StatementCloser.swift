import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit

/// Closes statements on its own: once a month has ended and `delay` more has passed (room for
/// usage still in flight: the last metering interval, a product's delayed batch), it closes
/// that month's statement of every tenant with charges in it or ledger accounts, and of any
/// earlier month left open (a server that was down at the month's turn catches up).
///
/// A close is idempotent and serialized with rating by the billing lock, so two replicas (or a
/// manual `appctl billing statement close`) racing it store one statement and announce it once.
public struct StatementCloser: Service {
    let billing: BillingService
    let delay: Duration
    let interval: Duration
    let clock: any PlatformClock
    let logger: Logger

    /// Creates the closer.
    /// - Parameters:
    ///   - delay: Time after a month's end before its statements close (`--statement-close-delay`,
    ///     default 1 h).
    ///   - interval: Time between sweeps (default 1 min).
    ///   - clock: Paces the loop and decides what has ended (a manual clock in tests).
    public init(billing: BillingService, delay: Duration = .seconds(3600), interval: Duration = .seconds(60),
                clock: any PlatformClock = SystemClock(), logger: Logger = Logger(label: "platform.billing.statements")) {
        self.billing = billing
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Sweeps until cancelled or the service group shuts down gracefully; a failed close is
    /// logged and tried again at the next sweep.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await sweep()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("statement close sweep failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }

    /// Closes every statement that is due and still open; returns the ones it closed.
    @discardableResult
    public func sweep() async throws -> [Statement] {
        let due = try await dueStatements()
        var closed: [Statement] = []
        for (tenant, period) in due {
            do {
                closed.append(try await billing.closeStatement(tenant: tenant, period: period, by: BillingService.systemActor))
                logger.info("statement closed", metadata: ["tenant": "\(tenant)", "period": "\(period)"])
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("statement close failed", metadata: ["tenant": "\(tenant)", "period": "\(period)", "error": "\(error)"])
            }
        }
        return closed
    }

    /// The (tenant, period) pairs whose period ended at least `delay` ago and that have no
    /// closed statement: every period with charges, and the last due month for every tenant
    /// with ledger accounts opened before it ended (a statement of nothing is still a statement).
    func dueStatements() async throws -> [(String, BillingPeriod)] {
        let now = clock.now()
        let delayMs = UInt64(max(0, delay.components.seconds)) * 1000 + UInt64(max(0, delay.components.attoseconds)) / 1_000_000_000_000_000
        let cutoff = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch >= delayMs ? now.millisecondsSinceEpoch - delayMs : 0)
        // The latest month that ended at or before the cutoff.
        let lastDue = BillingPeriod(containing: cutoff).previous
        return try await billing.store.read { db in
            let charged = try await db.raw("""
                SELECT DISTINCT c.tenant_id, c.period FROM billing_rated_charges c
                WHERE c.period <= \(bind: lastDue.description)
                  AND NOT EXISTS (SELECT 1 FROM billing_statements s WHERE s.tenant_id = c.tenant_id AND s.period = c.period)
                """).all()
            let accounts = try await db.raw("""
                SELECT DISTINCT a.tenant_id FROM ledger_accounts a
                WHERE a.tenant_id IS NOT NULL AND a.created_at < \(bind: lastDue.end.rfc3339)
                  AND NOT EXISTS (SELECT 1 FROM billing_statements s WHERE s.tenant_id = a.tenant_id AND s.period = \(bind: lastDue.description))
                """).all()
            var due = Set<String>()
            var pairs: [(String, BillingPeriod)] = []
            for row in charged {
                let tenant = try row.decode(column: "tenant_id", as: String.self), period = try BillingPeriod(try row.decode(column: "period", as: String.self))
                if due.insert("\(tenant) \(period)").inserted { pairs.append((tenant, period)) }
            }
            for row in accounts {
                let tenant = try row.decode(column: "tenant_id", as: String.self)
                if due.insert("\(tenant) \(lastDue)").inserted { pairs.append((tenant, lastDue)) }
            }
            return pairs.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        }
    }
}
