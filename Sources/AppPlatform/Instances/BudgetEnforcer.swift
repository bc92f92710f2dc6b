import Logging
import PlatformContracts

/// Which live instances are due for a budget stop: those of projects whose budget (their own
/// or their tenant's) has been exhausted for longer than `billing.budget_grace_seconds`, where
/// the project's `billing.budget_stops_running` flag is on. Admission already refuses new
/// launches at 100 % whatever the flag (``InstanceAdmission``); this is the second half of
/// the policy.
///
/// Like ``IdleStopPolicy`` it decides and the supervisor acts: ``InstanceSupervisor`` sweeps
/// once per ``InstanceService/Settings/budgetSweepInterval`` from its poll loop and requests
/// each stop with cause ``StopCause/budget``, so the stop is a phase change like any other,
/// audited as `apps.instance.stop` with the budget, the period, the grace and the policy
/// snapshot that decided it, and the sweep waits on the supervisor's clock (tests move it).
/// Exhausted budgets come through ``SpendGuard`` (the metering service's, never its tables).
/// Each replica sweeps the instances it supervises. A stale snapshot stops nothing (stopping
/// a workload is not undone by a later refresh); the next sweep decides again.
struct BudgetEnforcer: Sendable {
    /// Policy keys (policies.yaml).
    static let stopsRunningFlag = "billing.budget_stops_running"
    static let graceKey = "billing.budget_grace_seconds"
    static let defaultGraceSeconds: Int64 = 900

    /// A budget stop due now.
    struct Due: Sendable {
        let row: InstanceRow
        /// `project/<id>` or `tenant/<id>`.
        let budget: String
        /// The stop's message (also in the audit record).
        let message: String
        /// Added to the `apps.instance.stop` record.
        let auditDetails: [String: String]
    }

    let spend: any SpendGuard
    let policy: any PolicyEvaluator
    let logger: Logger

    /// The instances of `rows` due for a budget stop at `now`: not terminal, not already
    /// stopping, covered by a budget exhausted at least the grace period ago, with the flag on.
    func due(_ rows: [InstanceRow], now: Timestamp) async throws -> [Due] {
        let rows = rows.filter { !$0.isTerminal && !$0.stopRequested }
        guard !rows.isEmpty else { return [] }
        let exhausted = try await spend.exhaustedBudgets()
        guard !exhausted.isEmpty else { return [] }
        let read = await policy.read()
        guard !read.stale else {
            logger.warning("budget sweep skipped: the policy snapshot is stale", metadata: ["snapshot": "\(read.snapshot.id)"])
            return []
        }
        let snapshot = read.snapshot
        return rows.compactMap { row in
            guard let budget = Self.earliest(exhausted, project: row.projectId, tenant: row.tenantId),
                  let exhaustedAt = budget.exhaustedAt,
                  (try? snapshot.evaluateFlag(Self.stopsRunningFlag, project: row.projectId, tenant: row.tenantId).value) == true
            else { return nil }
            let grace = max(0, snapshot.integer(Self.graceKey, project: row.projectId, tenant: row.tenantId) ?? Self.defaultGraceSeconds)
            guard Self.graceOver(now: now, since: exhaustedAt, graceSeconds: grace) else { return nil }
            let name = "\(budget.budget.scope.rawValue)/\(budget.budget.target)"
            let message = "budget: the \(name) budget for \(budget.period) is spent (\(budget.spent.display) of "
                + "\(budget.budget.limit.display) \(budget.budget.limit.currency)) since \(exhaustedAt.rfc3339); \(Self.graceKey) \(grace) passed"
            return Due(row: row, budget: name, message: message,
                       auditDetails: ["budget": name, "period": budget.period.description, "spent": budget.spent.display,
                                      "limit": budget.budget.limit.display, "exhausted_at": exhaustedAt.rfc3339,
                                      "grace_seconds": String(grace), "policy_snapshot": snapshot.id])
        }
    }

    /// Whether `graceSeconds` have passed from `since` to `now`; a grace too large to count in
    /// milliseconds means never (policy bounds it, and the product is checked anyway).
    static func graceOver(now: Timestamp, since: Timestamp, graceSeconds: Int64) -> Bool {
        let (graceMs, overflow) = graceSeconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, now.millisecondsSinceEpoch >= since.millisecondsSinceEpoch else { return false }
        return (now.millisecondsSinceEpoch - since.millisecondsSinceEpoch) >= UInt64(graceMs)
    }

    /// The exhausted budget covering the project (its own or its tenant's) exhausted first.
    static func earliest(_ exhausted: [BudgetStatus], project: String, tenant: String) -> BudgetStatus? {
        exhausted.filter { status in
            switch status.budget.scope {
            case .project: status.budget.target == project
            case .tenant: status.budget.target == tenant
            }
        }
        .min { ($0.exhaustedAt?.millisecondsSinceEpoch ?? .max) < ($1.exhaustedAt?.millisecondsSinceEpoch ?? .max) }
    }
}

extension InstanceSupervisor {
    /// Requests the stop of every instance ``BudgetEnforcer`` finds due, at most once per
    /// ``InstanceService/Settings/budgetSweepInterval`` of the clock (the poll runs far more
    /// often, and a sweep reads the budgets from the store).
    func stopOverBudgetInstances() async {
        let nowMs = clock.nowMilliseconds()
        if let last = lastBudgetSweepMs, nowMs >= last, nowMs - last < settings.budgetSweepInterval.wholeMilliseconds { return }
        lastBudgetSweepMs = nowMs
        let now = clock.now()
        let due: [BudgetEnforcer.Due]
        do {
            due = try await budgets.due(live.all(), now: now)
        } catch {
            logger.error("budget sweep failed; will retry", metadata: ["error": "\(error)"])
            return
        }
        for stop in due {
            do {
                _ = try await requestStop(stop.row, cause: .budget, message: stop.message, actor: nil, requestID: nil,
                                          auditDetails: stop.auditDetails)
            } catch {
                logger.error("budget stop not recorded", metadata: ["instance": "\(stop.row.id)", "error": "\(error)"])
            }
        }
    }
}
