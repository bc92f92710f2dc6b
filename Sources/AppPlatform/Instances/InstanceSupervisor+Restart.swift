import Logging
import PlatformContracts
import RuntimeKit

/// `lifecycle.restartPolicy`, crash-loop detection and `lifecycle.maxRuntimeMinutes`.
///
/// An end the policy restarts is not the instance's end: the instance goes back to `starting`
/// (the phase machine's one backward move, audited `apps.instance.restart`) and its restart
/// is *due at* a time — 1 s doubling per restart up to `lifecycle.restart_backoff_max_seconds`
/// — that the poll acts on. Nothing sleeps for it: the poll is the only sleeper on the clock
/// (the fast tier's ``ManualClock`` steps rely on that). The restart itself releases the
/// ended workload and starts the same spec again as a child task of ``run()``; the adapters
/// keep the log, so the new run's output follows the old one's. A failure after
/// `lifecycle.crash_loop_restarts` restarts ends it `failed(crash-loop)` with the last end
/// in the message; a run of 10 minutes resets the count.
extension InstanceSupervisor {
    /// Schedules a restart (or ends the instance in a crash loop) when its policy restarts
    /// after this end; `false` when the end is the instance's end.
    /// - Parameters:
    ///   - code: The exit status, when it exited.
    ///   - failure: The runtime's typed failure, when it failed.
    ///   - ended: How the run ended, for messages.
    func restartOrCrashLoop(_ row: InstanceRow, code: Int32?, failure: FailureReason?, seen: RuntimeObservation,
                            ended: String) async throws -> Bool {
        let kill = probeKills.removeValue(forKey: row.id)
        guard let lifecycle = row.lifecycle, !row.stopRequested,
              lifecycle.restarts(mode: row.mode, code: code, failure: failure, probeKilled: kill != nil),
              InstancePhaseMachine.next(from: row.phase, on: .restarting, mode: row.mode, stopCause: row.stopCause) != nil
        else { return false }
        var row = row
        let now = clock.nowMilliseconds()
        let end = kill.map { "\($0.message); \(ended)" } ?? ended
        if let started = seen.startedAt.map({ Int64($0.millisecondsSinceEpoch) }) {
            let finished = seen.finishedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
            // A run this long was healthy: its failure starts a new count.
            if finished - started >= InstanceLifecycle.healthyRunMs { row.restartCount = 0 }
        }
        row.lastExitCode = code
        forgetProbes(of: row.id)
        if row.restartCount >= lifecycle.crashLoopRestarts {
            try await save(row)
            try await finish(row, on: .runtimeFailed(.crashLoop),
                             message: "crash loop: restarted \(row.restartCount) times (the limit); last end: \(end)", seen: seen)
            return true
        }
        let delay = lifecycle.backoffMs(afterRestarts: row.restartCount)
        row.restartCount += 1
        row.restartDueMs = now + delay
        try await transition(row, on: .restarting,
                             message: "\(end); restart \(row.restartCount) of \(lifecycle.crashLoopRestarts) in \(delay / 1000) s",
                             audit: "apps.instance.restart",
                             auditDetails: ["restartCount": String(row.restartCount), "exitCode": code.map(String.init) ?? "",
                                            "failure": failure?.rawValue ?? "", "delaySeconds": String(delay / 1000),
                                            "restartPolicy": lifecycle.restartPolicy.rawValue])
        logger.notice("instance restart scheduled", metadata: ["instance": "\(row.id)", "restart": "\(row.restartCount)", "delayMs": "\(delay)"])
        return true
    }

    /// Queues the restarts that are due (once per poll); one stopped while waiting ends now.
    func restartDueInstances() async {
        let now = clock.nowMilliseconds()
        for row in live.all() where !inFlight.contains(row.id) {
            guard let due = row.restartDueMs else { continue }
            if row.stopRequested {
                var ended = row
                ended.restartDueMs = nil
                do {
                    try await save(ended)
                    try await finish(ended, on: .runtimeExited(code: row.lastExitCode ?? 0), message: "stopped while waiting to restart", seen: nil)
                } catch {
                    logger.error("stop while waiting to restart not recorded", metadata: ["instance": "\(row.id)", "error": "\(error)"])
                }
            } else if now >= due {
                inFlight.insert(row.id)
                queue.yield(.restart(row.id))
            }
        }
    }

    /// Starts the ended workload of `id` again with the same spec: release, plan, start.
    func restart(_ id: String) async {
        guard var row = live.row(id), row.restartDueMs != nil, let old = row.handle, let adapter = adapters[row.adapter] else {
            inFlight.remove(id)
            return
        }
        var started: RuntimeHandle?
        do {
            try await adapter.release(old)
            let plan = try await adapter.plan(row.spec)
            let handle = try await adapter.start(try await specWithSecrets(row), plan: plan)
            started = handle
            row.handle = handle
            row.restartDueMs = nil
            try await save(row)
            if live.row(id)?.stopRequested == true {
                stops.sent(id, atMs: clock.nowMilliseconds())
                try await adapter.stop(handle, grace: settings.stopGrace)
            }
        } catch let lost as InstanceLeaseLost {
            // Another replica supervises it now: the run started here is nobody's, so it goes.
            // Its devices are left to the claims sweep (the instance's claims are shared with
            // the new holder's re-attachment, so releasing here could free the holder's).
            inFlight.remove(id)
            logger.warning("lease lost while restarting; stopping the run started here", metadata: ["instance": "\(id)", "error": "\(lost)"])
            if let started { try? await adapter.stop(started, grace: settings.stopGrace) }
            return
        } catch {
            inFlight.remove(id)
            let failure = error as? PlatformError
            var ended = live.row(id) ?? row
            ended.restartDueMs = nil
            try? await save(ended)
            let reason: FailureReason = failure?.code == .runtimePlacementUnsatisfiable ? .placement : .start
            try? await finish(ended, on: .startFailed(reason), message: "restart failed: \(failure?.message ?? "\(error)")", seen: nil)
            return
        }
        inFlight.remove(id)
        logger.notice("instance restarted", metadata: ["instance": "\(id)", "restart": "\(row.restartCount)"])
        await reconcile(id)
    }

    /// Stops every instance that has run for its `lifecycle.maxRuntimeMinutes` (counted from
    /// its first run, restarts included); the stop ends it `failed(timeout)`. Slurm also
    /// enforces it as the job's `--time`; whichever comes first ends it the same way.
    func stopInstancesPastMaxRuntime() async {
        let now = clock.nowMilliseconds()
        for row in live.all() where !row.stopRequested {
            guard let minutes = row.spec.timeLimitMinutes, minutes > 0, let since = row.runningSinceMs,
                  now - since >= Int64(minutes) * 60_000 else { continue }
            do {
                _ = try await requestStop(row, cause: .maxRuntime, message: "ran for its maxRuntimeMinutes (\(minutes)); stopping it",
                                          actor: nil, requestID: nil)
            } catch {
                logger.error("max-runtime stop not recorded", metadata: ["instance": "\(row.id)", "error": "\(error)"])
            }
        }
    }
}
