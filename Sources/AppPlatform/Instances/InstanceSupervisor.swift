import Logging
import PlatformContracts
import RuntimeKit
import ServiceLifecycle

/// The instance supervisor: a `Service` that re-attaches the previous process's instances,
/// begins admitted ones, reconciles every live one with its adapter each
/// ``InstanceService/Settings/pollInterval`` and applies ``InstancePhaseMachine``.
///
/// It owns every task it starts: admitted launches and stop re-issues arrive as ``Work`` on
/// one `AsyncStream`, consumed by a task group inside ``run()``, next to the poll loop, so
/// when the service ends nothing it started outlives it. All waiting and timestamps go
/// through the injected ``PlatformClock``.
actor InstanceSupervisor: Service {
    /// Work the supervisor runs as child tasks of ``run()``.
    enum Work: Sendable {
        /// Start an admitted instance through its adapter.
        case begin(String, PlacementPlan)
        /// Send (again) a stop to a workload.
        case stop(RuntimeHandle, adapter: String)
        /// Start an instance's ended workload again: its restart is due (``InstanceRow/restartDueMs``).
        case restart(String)
    }

    let repository: InstanceRepository
    let live: LiveInstances
    let adapters: [String: any RuntimeAdapter]
    let settings: InstanceService.Settings
    let prober: any ReadinessProber
    let meter: UsageMeter
    let changes: InstancePhaseChanges
    let activity: InstanceActivity
    let clock: any PlatformClock
    let logger: Logger
    private let work: AsyncStream<Work>
    let queue: AsyncStream<Work>.Continuation

    /// Instances whose `begin` is running (the poll loop leaves them alone).
    var inFlight: Set<String> = []
    /// Instances being inspected now (never two looks at once for one instance).
    var reconciling: Set<String> = []
    /// When this process last sent a stop, per instance: what a re-issue decides from.
    var stops: StopReissueLedger
    /// Which instances are due for an idle stop (asked once per poll).
    let idleStop: IdleStopPolicy
    /// Which instances are due for a budget stop (asked once per budget sweep interval).
    let budgets: BudgetEnforcer
    /// When the last budget sweep ran (clock ms).
    var lastBudgetSweepMs: Int64?
    /// The untrusted-artifact sweep (``InstanceService`` sets it before running), run from the
    /// poll loop once per budget sweep interval — no loop of its own, so the poll is the only
    /// sleeper on the clock and a test's clock steps stay in order.
    var trustSweep: (@Sendable () async -> Void)?
    /// When the last untrusted-artifact sweep ran (clock ms).
    var lastTrustSweepMs: Int64?
    /// When this replica last renewed its leases and looked for instances to take over (clock ms).
    var lastLeaseRenewalMs: Int64?
    /// Instances this replica let go of because another claimed them: a write for one of them
    /// (a start or restart still running here) is refused with ``InstanceLeaseLost`` rather
    /// than skipped as if the instance had ended.
    var dropped: Set<String> = []
    /// Secret custody: every start resolves the spec's secrets through it (``InstanceSecrets``).
    var secrets: (any SecretCustody)?
    /// Startup and liveness progress of each running instance's current run (a restart or a
    /// new server starts it over).
    var probes: [String: ProbeProgress] = [:]
    /// Instances whose workload this process is killing because a startup or liveness probe
    /// failed and their policy restarts them: the end that follows is that failure, whatever
    /// status the killed process exits with.
    var probeKills: [String: ProbeKill] = [:]

    init(repository: InstanceRepository, live: LiveInstances, adapters: [String: any RuntimeAdapter], settings: InstanceService.Settings,
         prober: any ReadinessProber, meter: UsageMeter, changes: InstancePhaseChanges, activity: InstanceActivity,
         clock: any PlatformClock, logger: Logger, budgets: BudgetEnforcer) {
        self.repository = repository
        self.live = live
        self.adapters = adapters
        self.settings = settings
        self.prober = prober
        self.meter = meter
        self.changes = changes
        self.activity = activity
        self.clock = clock
        self.logger = logger
        stops = StopReissueLedger(grace: settings.stopGrace)
        idleStop = IdleStopPolicy(activity: activity)
        self.budgets = budgets
        (work, queue) = AsyncStream.makeStream(of: Work.self)
    }

    /// Re-attaches, then begins admitted instances and reconciles until shutdown.
    func run() async throws {
        await claimAndAdopt(atStart: true)
        live.markRecovered()
        await cancelWhenGracefulShutdown {
            await self.superviseUntilCancelled()
        }
    }

    private func superviseUntilCancelled() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.pollUntilCancelled() }
            for await item in work {
                group.addTask { await self.perform(item) }
            }
            group.cancelAll()
        }
    }

    private func pollUntilCancelled() async {
        while !Task.isCancelled {
            await reconcileAll()
            await stopIdleInstances()
            await stopOverBudgetInstances()
            await stopInstancesPastMaxRuntime()
            await restartDueInstances()
            await sweepUntrustedArtifacts()
            await maintainLeases()
            try? await clock.sleep(for: settings.pollInterval)
        }
    }

    /// Queues an admitted instance's start (it runs as a child of ``run()``).
    nonisolated func enqueueBegin(_ id: String, plan: PlacementPlan) {
        queue.yield(.begin(id, plan))
    }

    private func perform(_ item: Work) async {
        switch item {
        case .begin(let id, let plan):
            await begin(id, plan: plan)
        case .stop(let handle, let adapterName):
            do { try await adapters[adapterName]?.stop(handle, grace: settings.stopGrace) } catch {
                logger.error("stop failed; will retry", metadata: ["instance": "\(handle.instanceId)", "error": "\(error)"])
            }
        case .restart(let id):
            await restart(id)
        }
    }

    /// Starts an admitted instance: `scheduled`, `starting`, then the adapter's start.
    func begin(_ id: String, plan: PlacementPlan) async {
        guard var row = live.row(id), let adapter = adapters[row.adapter] else { return }
        inFlight.insert(id)
        do {
            row = try await transition(row, on: .scheduled, message: plan.summary)
            if row.stopRequested {
                inFlight.remove(id)
                return try await finish(row, on: .startAbandoned, message: "stopped before it started", seen: nil)
            }
            row = try await transition(row, on: .starting, message: "starting on \(row.adapter) from \(row.image)")
            if live.row(id)?.stopRequested == true {
                inFlight.remove(id)
                return try await finish(row, on: .startAbandoned, message: "stopped before it started", seen: nil)
            }
            let handle = try await adapter.start(try await specWithSecrets(row), plan: plan)
            row.handle = handle
            do { try await save(row) } catch let lost as InstanceLeaseLost {
                // Another replica claimed it while it started (and failed it, having no handle):
                // the workload this one started is nobody's, so it goes.
                logger.warning("lease lost while starting; stopping the workload", metadata: ["instance": "\(id)", "error": "\(lost)"])
                try? await adapter.stop(handle, grace: settings.stopGrace)
                try? await adapter.release(handle)
                inFlight.remove(id)
                return
            }
            if live.row(id)?.stopRequested == true {
                stops.sent(id, atMs: clock.nowMilliseconds())
                try await adapter.stop(handle, grace: settings.stopGrace)
            }
        } catch is InstanceLeaseLost {
            inFlight.remove(id)
            return
        } catch {
            inFlight.remove(id)
            let failure = error as? PlatformError
            let reason: FailureReason = failure?.code == .runtimePlacementUnsatisfiable ? .placement : .start
            try? await finish(live.row(id) ?? row, on: .startFailed(reason), message: failure?.message ?? "\(error)", seen: nil)
            return
        }
        inFlight.remove(id)
        // Look once right away rather than a poll interval later.
        await reconcile(id)
    }

    /// Requests a stop for `cause`: `stopping` now, the terminal phase once the runtime
    /// confirms. A terminal or already stopping instance is returned unchanged.
    /// - Parameter auditDetails: Added to the `apps.instance.stop` record (a budget stop names
    ///   the budget and the policy snapshot that decided it).
    func requestStop(_ row: InstanceRow, cause: StopCause, message: String, actor: String?, requestID: String?,
                     auditDetails: [String: String] = [:]) async throws -> InstanceRow {
        let request = InstanceStopRequest(cause: cause, message: message, actor: actor, requestID: requestID, details: auditDetails)
        guard let held = live.row(row.id) else {
            // Another replica supervises it (or will, once it takes it over): the stop waits on the row for it.
            guard !row.isTerminal, !row.stopRequested else { return row }
            _ = try await repository.requestStop(row.id, request)
            return row
        }
        let row = held
        guard !row.isTerminal, !row.stopRequested else { return row }
        let moved: InstanceRow
        do {
            moved = try await transition(row, on: .stopRequested(cause), message: message, audit: "apps.instance.stop", actor: actor,
                                         requestID: requestID, auditDetails: auditDetails)
        } catch is InstanceLeaseLost {
            // Taken over meanwhile: the new holder acts on it.
            _ = try await repository.requestStop(row.id, request)
            return row
        }
        if moved.handle != nil { reissueStopIfOverdue(moved) }
        return moved
    }

    /// Sends the stop (again) when ``StopReissueLedger`` says it is due: none was sent by this
    /// process or the last one is older than the grace period plus a margin, so a stop lost to
    /// a crash or a failed call is retried.
    func reissueStopIfOverdue(_ row: InstanceRow) {
        guard let handle = row.handle, adapters[row.adapter] != nil,
              stops.claimIfOverdue(row.id, nowMs: clock.nowMilliseconds()) else { return }
        queue.yield(.stop(handle, adapter: row.adapter))
    }

    /// The caller's copy with what others changed meanwhile (a stop request, metering
    /// progress, the phase) taken from the live copy: actor methods interleave at every
    /// `await`, so a copy taken before one is stale after it. `nil` once it is not live.
    func merged(_ row: InstanceRow) -> InstanceRow? {
        guard let current = live.row(row.id) else { return nil }
        var row = row
        row.stopCause = row.stopCause ?? current.stopCause
        row.trustFlag = row.trustFlag ?? current.trustFlag
        row.meteredThrough = max(row.meteredThrough, current.meteredThrough)
        row.handle = row.handle ?? current.handle
        row.runningSinceMs = row.runningSinceMs ?? current.runningSinceMs
        row.finishedAtMs = row.finishedAtMs ?? current.finishedAtMs
        row.phase = current.phase
        row.lease = current.lease ?? row.lease
        return row
    }

    /// Applies `event` through the phase machine: the new phase, the row, an event and
    /// (optionally) an audit record are written in one transaction and the change is
    /// published. A pair the machine refuses is logged and writes nothing.
    @discardableResult
    func transition(_ row: InstanceRow, on event: InstancePhaseEvent, message: String?, audit action: String? = nil,
                    actor: String? = nil, requestID: String? = nil, auditFailure: Bool = false,
                    auditDetails: [String: String] = [:]) async throws -> InstanceRow {
        guard var row = merged(row) else {
            if dropped.contains(row.id) { throw InstanceLeaseLost(instance: row.id, holder: nil) }
            return row
        }
        guard let target = InstancePhaseMachine.next(from: row.phase, on: event, mode: row.mode, stopCause: row.stopCause) else {
            logger.info("phase change refused", metadata: ["instance": "\(row.id)", "phase": "\(row.phase.name)", "event": "\(event)"])
            return row
        }
        let from = row.phase
        if case .stopRequested(let cause) = event { row.stopCause = cause }
        let now = clock.now()
        row.phase = target
        row.message = message
        row.updatedAt = now.rfc3339
        // Reserve the row's new state before the first await, so interleaved callers see it.
        if target.isTerminal { live.remove(row.id) } else { live.put(row) }
        if !target.isConnectable { activity.forget(row.id) }
        let auditAction = action ?? (auditFailure && target.failureReason != nil ? "apps.instance.fail" : nil)
        let audit = auditAction.map { action in
            var event = row.auditEvent(action: action, actor: actor, requestID: requestID, message: message)
            event.details.merge(auditDetails) { _, added in added }
            return event
        }
        do {
            try await repository.appendEvent(row, message: message, at: now.rfc3339, audit: audit)
        } catch let lost as InstanceLeaseLost {
            drop(row, lost: lost)
            throw lost
        }
        // Published once written: a write the fence refused must not end sessions or count.
        changes.publish(InstancePhaseChange(instance: row.id, project: row.projectId, tenant: row.tenantId, from: from, to: target, at: now))
        logger.info("instance phase", metadata: ["instance": "\(row.id)", "phase": "\(row.phase.name)", "reason": "\(row.reason ?? "")"])
        return live.row(row.id).flatMap { merged($0) } ?? row
    }

    /// Persists non-phase fields of a live instance (handle, node, metering progress); a
    /// terminal instance is never written back to life.
    func save(_ row: InstanceRow) async throws {
        guard var row = merged(row) else {
            if dropped.contains(row.id) { throw InstanceLeaseLost(instance: row.id, holder: nil) }
            return
        }
        row.updatedAt = clock.now().rfc3339
        live.put(row)
        do { try await repository.save(row) } catch let lost as InstanceLeaseLost {
            drop(row, lost: lost)
            throw lost
        }
    }
}

extension InstanceSupervisor {
    /// Sets the untrusted-artifact sweep.
    func setTrustSweep(_ sweep: @escaping @Sendable () async -> Void) {
        trustSweep = sweep
    }

    /// Runs ``trustSweep`` at most once per ``InstanceService/Settings/budgetSweepInterval`` of the clock.
    func sweepUntrustedArtifacts() async {
        guard let trustSweep else { return }
        let nowMs = clock.nowMilliseconds()
        if let last = lastTrustSweepMs, nowMs >= last, nowMs - last < settings.budgetSweepInterval.wholeMilliseconds { return }
        lastTrustSweepMs = nowMs
        await trustSweep()
    }
}
