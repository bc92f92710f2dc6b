import Logging
import PlatformContracts
import PlatformStore
import RuntimeKit

extension InstanceSupervisor {
    /// One look at every live instance that has a workload and is not being begun.
    func reconcileAll() async {
        // One waiting for its restart has no workload to look at: its end was handled.
        let ids = live.all().filter { $0.handle != nil && $0.restartDueMs == nil && !inFlight.contains($0.id) }.map(\.id)
        await withDiscardingTaskGroup { group in
            for id in ids {
                group.addTask { await self.reconcile(id) }
            }
        }
    }

    /// One look at one instance: move its phase to what the runtime says. Never two at once
    /// for the same instance.
    func reconcile(_ id: String) async {
        guard !reconciling.contains(id), let row = live.row(id), let handle = row.handle, let adapter = adapters[row.adapter] else { return }
        reconciling.insert(id)
        defer { reconciling.remove(id) }
        let seen: RuntimeObservation
        do {
            seen = try await adapter.inspect(handle)
        } catch {
            logger.warning("inspect failed; will retry", metadata: ["instance": "\(id)", "error": "\(error)"])
            return
        }
        do {
            try await apply(seen, to: id)
        } catch {
            logger.error("could not record instance state", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// Turns one observation into phase events.
    func apply(_ seen: RuntimeObservation, to id: String) async throws {
        guard var row = live.row(id), row.restartDueMs == nil else { return }
        let now = clock.nowMilliseconds()
        if !seen.state.isTerminal, row.stopRequested { reissueStopIfOverdue(row) }
        switch seen.state {
        case .pending(let reason):
            if row.phase == .starting, let reason, row.message != "pending: \(reason)" {
                row.message = "pending: \(reason)"
                try await save(row)
            }
        case .running:
            if [.accepted, .scheduled, .starting].contains(row.phase) {
                row.node = seen.node ?? row.node
                row.host = seen.host ?? row.host
                row.gpus = seen.gpuIndices ?? row.gpus
                // A restarted run keeps the first run's start: metering and maxRuntimeMinutes count from it.
                row.runningSinceMs = row.runningSinceMs ?? seen.startedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
                row.readyDeadlineMs = now + Int64((row.readiness?.withinMinutes ?? settings.defaultReadyWithinMinutes) * 60_000)
                try await save(row)
                let gpus = row.gpus.isEmpty ? "" : " with GPUs \(row.gpus.map(String.init).joined(separator: ","))"
                row = try await transition(row, on: .runtimeRunning, message: "running on \(row.node ?? "?")\(gpus)")
            }
            if row.phase == .running, row.mode != .job, !row.stopRequested, probeKills[id] == nil {
                let startup = await lookAtStartup(row, now: now)
                if startup == .failed { return }
                if startup == .passed, await isReady(row) {
                    row = try await transition(row, on: .probePassed,
                                               message: row.readiness.map { "readiness probe \($0.path) answered" } ?? "running (no readiness probe)",
                                               audit: "apps.instance.ready")
                } else if let deadline = row.readyDeadlineMs, now > deadline, let current = live.row(id), !current.stopRequested {
                    row = try await transition(current, on: .stopRequested(.healthTimeout), message: "not ready by its deadline; stopping it")
                    reissueStopIfOverdue(row)
                }
            }
            if let current = live.row(id), current.phase == .ready, !current.stopRequested, probeKills[id] == nil {
                await lookAtLiveness(current, now: now)
            }
            if let current = live.row(id) { try await meterRunning(current, through: now) }
        case .exited(let code):
            if try await restartOrCrashLoop(row, code: code, failure: nil, seen: seen, ended: "exited with status \(code)") { return }
            try await finish(row, on: .runtimeExited(code: code), message: "exited with status \(code)", seen: seen)
        case .failed(let reason, let message):
            if try await restartOrCrashLoop(row, code: nil, failure: reason, seen: seen, ended: "failed (\(reason.rawValue)): \(message)") { return }
            try await finish(row, on: .runtimeFailed(reason), message: message, seen: seen)
        case .gone:
            try await finish(row, on: .runtimeGone, message: "the runtime no longer knows this workload", seen: nil)
        }
    }

    /// Whether the readiness probe answers now (no probe: ready once running).
    func isReady(_ row: InstanceRow) async -> Bool {
        guard let probe = row.readiness else { return true }
        return await prober.probe(probe.target(host: row.host ?? "127.0.0.1"))
    }

    /// Ends an instance: its end time is persisted first, then the terminal phase is written
    /// and the runtime's resources are freed whatever failed. The rest of the run is metered by
    /// ``FinalUsageMetering`` when it hears the terminal change (or at the next start-up): its
    /// keys derive from the persisted times alone.
    func finish(_ row: InstanceRow, on event: InstancePhaseEvent, message: String, seen: RuntimeObservation?) async throws {
        let row = live.row(row.id).flatMap { merged($0) } ?? row
        do {
            try await record(row, on: event, message: message, seen: seen)
        } catch let lost as InstanceLeaseLost {
            throw lost  // its resources are the new holder's now
        } catch {
            await releaseResources(of: row)
            throw error
        }
        await releaseResources(of: row)
    }

    private func record(_ row: InstanceRow, on event: InstancePhaseEvent, message: String, seen: RuntimeObservation?) async throws {
        var row = row
        let now = clock.nowMilliseconds()
        if row.runningSinceMs == nil, let started = seen?.startedAt { row.runningSinceMs = Int64(started.millisecondsSinceEpoch) }
        if row.finishedAtMs == nil {
            row.finishedAtMs = seen?.finishedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
        }
        if let since = row.runningSinceMs, let end = row.finishedAtMs, end < since { row.finishedAtMs = since }
        try await save(row)
        try await transition(row, on: event, message: message, auditFailure: true)
    }

    /// Frees the runtime's hold (devices, ports) of a finished instance, whatever else failed.
    func releaseResources(of row: InstanceRow) async {
        live.freePorts(row.endpoints.values)
        stops.forget(row.id)
        forgetProbes(of: row.id)
        guard let handle = row.handle ?? live.row(row.id)?.handle, let adapter = adapters[row.adapter] else { return }
        do { try await adapter.release(handle) } catch {
            logger.warning("release failed", metadata: ["instance": "\(row.id)", "error": "\(error)"])
        }
    }

    /// Records the whole metering intervals due of a running instance and persists the progress.
    func meterRunning(_ row: InstanceRow, through end: Int64) async throws {
        guard let upTo = try await meter.meter(row, through: end, final: false, alreadyThrough: live.row(row.id)?.meteredThrough ?? 0) else {
            return
        }
        if var current = live.row(row.id) {
            current.meteredThrough = max(current.meteredThrough, upTo)
            try await save(current)
        } else {
            try await repository.advanceMetered(row.id, through: upTo)
        }
    }

    /// Requests the stop of every instance ``IdleStopPolicy`` finds idle (once per poll).
    func stopIdleInstances() async {
        var due = idleStop.due(live.all(), now: clock.nowMilliseconds())
        if !due.isEmpty, repository.store.backend == .postgres {
            // Traffic may have passed through another replica: what they recorded counts too.
            do {
                for (id, ms) in try await repository.recordedActivity(due.map(\.row.id)) { activity.noteRecorded(id, atMs: ms) }
            } catch {
                logger.warning("cannot read other replicas' connect activity; no idle stop this poll", metadata: ["error": "\(error)"])
                return
            }
            due = idleStop.due(due.map(\.row), now: clock.nowMilliseconds())
        }
        for due in due {
            do {
                _ = try await requestStop(due.row, cause: .idle, message: due.message, actor: nil, requestID: nil)
            } catch {
                logger.error("idle stop not recorded", metadata: ["instance": "\(due.row.id)", "error": "\(error)"])
            }
        }
    }
}
