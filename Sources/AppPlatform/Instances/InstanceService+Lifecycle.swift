import PlatformStore
import NIOCore
import NIOHTTP1
import Logging
import ManifestKit
import AsyncHTTPClient
import Foundation
import PlatformContracts
import RuntimeKit
import ServiceLifecycle
import SQLKit

extension InstanceService {
    /// The supervisor: re-attach, then reconcile every active instance each poll interval
    /// until graceful shutdown. Instances keep running when `platformd` stops.
    public func run() async throws {
        await recover()
        recovered = true
        publishCounts()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await reconcileAll()
            await stopIdleInstances()
            try? await Task.sleep(for: settings.pollInterval)
        }
    }

    /// Waits (briefly) until ``run()`` has re-attached the instances of the previous
    /// process, so a launch cannot take devices that a recovering instance still holds.
    func awaitRecovery() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while !recovered {
            guard clock.now < deadline else {
                throw PlatformError(.runtimeAdapterUnavailable, "the instance supervisor is still re-attaching instances; retry shortly")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Loads every non-terminal instance and re-attaches through its adapter.
    func recover() async {
        let rows: [InstanceRow]
        do {
            rows = try await store.read { db in
                try await db.select().columns("*").from("apps_instances").where("phase", .notIn, ["stopped", "succeeded", "failed"])
                    .all().map(InstanceRow.init(row:))
            }
        } catch {
            logger.error("cannot load instances to re-attach", metadata: ["error": "\(error)"])
            return
        }
        for var row in rows {
            portsInUse.formUnion(row.endpoints.values)
            active[row.id] = row
            guard let handle = row.handle else {
                // Killed between admission and the adapter's answer: nothing we can address.
                _ = try? await transition(row, to: row.stopRequested ? .stopped : .failed(.lost),
                                          message: "platformd restarted before the workload was started", audit: ("apps.instance.fail", nil, nil))
                portsInUse.subtract(row.endpoints.values)
                continue
            }
            guard let adapter = adapters[row.adapter] else {
                logger.error("instance's adapter is not configured; leaving it as is", metadata: ["instance": "\(row.id)", "adapter": "\(row.adapter)"])
                active[row.id] = nil
                continue
            }
            do {
                row.handle = try await adapter.recover(handle)
                try await save(row)
                logger.notice("instance re-attached", metadata: ["instance": "\(row.id)", "phase": "\(row.phase)"])
            } catch {
                // It may still be running on devices we cannot vouch for: stop it rather than lose track.
                try? await adapter.stop(handle, grace: settings.stopGrace)
                try? await adapter.release(handle)
                _ = try? await transition(row, to: .failed(.lost), message: "could not re-attach: \(error)", audit: ("apps.instance.fail", nil, nil))
                portsInUse.subtract(row.endpoints.values)
            }
        }
    }

    /// Starts an admitted instance: `scheduled`, `starting`, then the adapter's start.
    func begin(_ id: String, plan: PlacementPlan) async {
        guard var row = active[id], let adapter = adapters[row.adapter] else {
            inFlight.remove(id)
            return
        }
        do {
            row = try await transition(row, to: .scheduled, message: plan.summary)
            if row.stopRequested {
                inFlight.remove(id)
                return try await finish(row, .stopped, message: "stopped before it started", seen: nil)
            }
            row = try await transition(row, to: .starting, message: "starting on \(row.adapter) from \(row.image)")
            if active[id]?.stopRequested == true {
                inFlight.remove(id)
                return try await finish(row, .stopped, message: "stopped before it started", seen: nil)
            }
            let handle = try await adapter.start(row.spec, plan: plan)
            row.handle = handle
            try await save(row)
            if active[id]?.stopRequested == true {
                stopIssuedAt[id] = ContinuousClock.now
                try await adapter.stop(handle, grace: settings.stopGrace)
            }
        } catch {
            inFlight.remove(id)
            let failure = error as? PlatformError
            let reason: FailureReason = failure?.code == .runtimePlacementUnsatisfiable ? .placement : .start
            try? await finish(active[id] ?? row, .failed(reason), message: failure?.message ?? "\(error)", seen: nil)
            return
        }
        inFlight.remove(id)
        // Look once right away rather than a poll interval later.
        await reconcile(id)
    }

    func reconcileAll() async {
        let ids = active.values.filter { $0.handle != nil && !inFlight.contains($0.id) }.map(\.id)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask { await self.reconcile(id) }
            }
        }
        publishCounts()
    }

    /// One look at one instance: move its phase to what the runtime says. Never two at once
    /// for the same instance.
    func reconcile(_ id: String) async {
        guard !reconciling.contains(id), let row = active[id], let handle = row.handle, let adapter = adapters[row.adapter] else { return }
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

    func apply(_ seen: RuntimeObservation, to id: String) async throws {
        guard var row = active[id] else { return }
        let now = Int64(Timestamp.now().millisecondsSinceEpoch)
        if !seen.state.isTerminal, row.stopRequested { reissueStopIfOverdue(row) }
        let timedOut = healthTimedOut.contains(id) || row.message?.hasPrefix("not ready by its deadline") == true
        switch seen.state {
        case .pending(let reason):
            if row.phase == "starting", let reason, row.message != "pending: \(reason)" {
                row.message = "pending: \(reason)"
                try await save(row)
            }
        case .running:
            if ["accepted", "scheduled", "starting"].contains(row.phase) {
                row.node = seen.node ?? row.node
                row.host = seen.host ?? row.host
                row.gpus = seen.gpuIndices ?? row.gpus
                row.runningSinceMs = seen.startedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
                row.readyDeadlineMs = now + Int64((row.readiness?.withinMinutes ?? settings.defaultReadyWithinMinutes) * 60_000)
                try await save(row)
                row = try await transition(row, to: .running, message: "running on \(row.node ?? "?")\(row.gpus.isEmpty ? "" : " with GPUs \(row.gpus.map(String.init).joined(separator: ","))")")
            }
            if row.phase == "running", row.mode != LaunchSpec.Mode.job.rawValue, !row.stopRequested {
                if await isReady(row) {
                    row = try await transition(row, to: .ready, message: row.readiness.map { "readiness probe \($0.path) answered" } ?? "running (no readiness probe)")
                } else if let deadline = row.readyDeadlineMs, now > deadline, var live = active[id], !live.stopRequested {
                    live.stopRequested = true
                    healthTimedOut.insert(id)
                    row = try await transition(live, to: .stopping, message: "not ready by its deadline; stopping it")
                    reissueStopIfOverdue(row)
                }
            }
            if let live = active[id] { try await meter(live, through: now, final: false) }
        case .exited(let code):
            let phase: InstancePhase
            if timedOut {
                phase = .failed(.healthTimeout)
            } else if row.stopRequested {
                phase = .stopped
            } else if code == 0 {
                phase = row.mode == LaunchSpec.Mode.job.rawValue ? .succeeded : .stopped
            } else {
                phase = .failed(.exitNonZero)
            }
            try await finish(row, phase, message: "exited with status \(code)", seen: seen)
        case .failed(let reason, let message):
            if reason == .cancelled, row.stopRequested {
                try await finish(row, timedOut ? .failed(.healthTimeout) : .stopped, message: message, seen: seen)
            } else {
                try await finish(row, .failed(reason), message: message, seen: seen)
            }
        case .gone:
            try await finish(row, row.stopRequested ? .stopped : .failed(.lost), message: "the runtime no longer knows this workload", seen: nil)
        }
    }

    /// Sends the stop (again) when none was sent by this process or the last one is older
    /// than the grace period plus a margin: a stop lost to a crash or a failed call is retried.
    func reissueStopIfOverdue(_ row: InstanceRow) {
        guard let handle = row.handle, let adapter = adapters[row.adapter] else { return }
        let grace = settings.stopGrace
        if let issued = stopIssuedAt[row.id], ContinuousClock.now < issued.advanced(by: grace + .seconds(5)) { return }
        stopIssuedAt[row.id] = ContinuousClock.now
        let logger = logger
        Task {
            do { try await adapter.stop(handle, grace: grace) } catch {
                logger.error("stop failed; will retry", metadata: ["instance": "\(handle.instanceId)", "error": "\(error)"])
            }
        }
    }

    /// Ends an instance: its end time is persisted first, the rest of the run is metered
    /// (keys depend only on persisted times, so a crash here re-emits identical events),
    /// then the terminal phase is written and the runtime's resources are freed whatever failed.
    func finish(_ row: InstanceRow, _ phase: InstancePhase, message: String, seen: RuntimeObservation?) async throws {
        let row = active[row.id].flatMap { merged($0) } ?? row
        do {
            try await record(row, phase, message: message, seen: seen)
        } catch {
            await releaseResources(of: row)
            throw error
        }
        await releaseResources(of: row)
    }

    private func record(_ row: InstanceRow, _ phase: InstancePhase, message: String, seen: RuntimeObservation?) async throws {
        var row = row
        let now = Int64(Timestamp.now().millisecondsSinceEpoch)
        if row.runningSinceMs == nil, let started = seen?.startedAt { row.runningSinceMs = Int64(started.millisecondsSinceEpoch) }
        if row.finishedAtMs == nil {
            row.finishedAtMs = seen?.finishedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
        }
        if let since = row.runningSinceMs, let end = row.finishedAtMs, end < since { row.finishedAtMs = since }
        try await save(row)
        do {
            try await meter(row, through: row.finishedAtMs ?? now, final: true)
        } catch {
            logger.error("final usage not recorded", metadata: ["instance": "\(row.id)", "error": "\(error)"])
        }
        let audited: (String, Caller?, String?)? = phase.failureReason != nil ? ("apps.instance.fail", nil, nil) : nil
        try await transition(row, to: phase, message: message, audit: audited)
        publishCounts()
    }

    /// Frees the runtime's hold (devices, ports) of a finished instance, whatever else failed.
    func releaseResources(of row: InstanceRow) async {
        portsInUse.subtract(row.endpoints.values)
        stopIssuedAt[row.id] = nil
        healthTimedOut.remove(row.id)
        guard let handle = row.handle ?? active[row.id]?.handle, let adapter = adapters[row.adapter] else { return }
        do { try await adapter.release(handle) } catch {
            logger.warning("release failed", metadata: ["instance": "\(row.id)", "error": "\(error)"])
        }
    }

    /// Emits `app-runtime.second` and `gpu.second` for every whole metering interval since
    /// the instance started running (and the partial last one when `final`). Keys are
    /// `<instance>/<unit>/<interval>`, derived only from persisted times, so a restarted
    /// server re-emits identical events, which the metering log takes as no-ops.
    func meter(_ row: InstanceRow, through end: Int64, final: Bool) async throws {
        guard let start = row.runningSinceMs, end > start else { return }
        let length = settings.meteringIntervalMs
        let whole = Int((end - start) / length)
        let upTo = final && (end - start) % length != 0 ? whole + 1 : whole
        let from = max(row.meteredThrough, active[row.id]?.meteredThrough ?? 0)
        guard upTo > from else { return }
        for index in from..<upTo {
            let intervalStart = start + Int64(index) * length
            let intervalEnd = min(end, intervalStart + length)
            let seconds = (intervalEnd - intervalStart + 500) / 1000
            let at = Timestamp(millisecondsSinceEpoch: UInt64(intervalEnd))
            var units: [(String, Int64)] = [("app-runtime.second", seconds)]
            if row.gpuCount > 0 { units.append(("gpu.second", seconds * Int64(row.gpuCount))) }
            for (unit, quantity) in units where quantity > 0 {
                try await usage.record(UsageEvent(source: "apps.instances", id: "\(row.id)/\(unit)/\(index)", unit: unit,
                                                  quantity: quantity, project: ProjectID(row.projectId), occurredAt: at))
            }
        }
        if var live = active[row.id] {
            live.meteredThrough = max(live.meteredThrough, upTo)
            try await save(live)
        } else {
            let id = row.id
            try await store.transaction { db in
                try await db.update("apps_instances").set("metered_through", to: SQLBind(upTo)).where("id", .equal, id)
                    .where("metered_through", .lessThan, upTo).run()
            }
        }
    }

    /// Whether the readiness probe answers 2xx/3xx now (no probe: ready once running).
    func isReady(_ row: InstanceRow) async -> Bool {
        guard let probe = row.readiness else { return true }
        let host = row.host ?? "127.0.0.1"
        var request = HTTPClientRequest(url: "http://\(host):\(probe.port)\(probe.path.hasPrefix("/") ? "" : "/")\(probe.path)")
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(1))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<400).contains(Int(response.status.code))
        } catch {
            return false
        }
    }
}
