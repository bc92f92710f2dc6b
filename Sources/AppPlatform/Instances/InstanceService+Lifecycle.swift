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
        publishCounts()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await reconcileAll()
            try? await Task.sleep(for: settings.pollInterval)
        }
        try? await http.shutdown()
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
            guard let handle = row.handle else {
                // Killed between admission and the adapter's answer: nothing we can address.
                _ = try? await transition(row, to: row.stopRequested ? .stopped : .failed(.lost),
                                      message: "platformd restarted before the workload was started", audit: ("apps.instance.fail", nil, nil))
                portsInUse.subtract(row.endpoints.values)
                continue
            }
            guard let adapter = adapters[row.adapter] else {
                logger.error("instance's adapter is not configured; leaving it as is", metadata: ["instance": "\(row.id)", "adapter": "\(row.adapter)"])
                continue
            }
            do {
                row.handle = try await adapter.recover(handle)
                active[row.id] = row
                logger.notice("instance re-attached", metadata: ["instance": "\(row.id)", "phase": "\(row.phase)"])
            } catch {
                _ = try? await transition(row, to: .failed(.lost), message: "could not re-attach: \(error)", audit: ("apps.instance.fail", nil, nil))
                portsInUse.subtract(row.endpoints.values)
            }
        }
    }

    /// Starts an admitted instance: `scheduled`, `starting`, then the adapter's start.
    func begin(_ id: String, plan: PlacementPlan) async {
        defer { inFlight.remove(id) }
        guard var row = active[id], let adapter = adapters[row.adapter] else { return }
        do {
            row = try await transition(row, to: .scheduled, message: plan.summary)
            if row.stopRequested { return try await finish(row, .stopped, message: "stopped before it started", finishedAt: nil) }
            row = try await transition(row, to: .starting, message: "unpacking \(row.image) and starting on \(row.adapter)")
            let handle = try await adapter.start(row.spec, plan: plan)
            row = active[id] ?? row
            row.handle = handle
            try await save(row)
            if row.stopRequested {
                try await adapter.stop(handle, grace: settings.stopGrace)
            }
            // Look once right away rather than a poll interval later.
            inFlight.remove(id)
            await reconcile(id)
        } catch {
            let failure = error as? PlatformError
            let reason: FailureReason = failure?.code == .runtimePlacementUnsatisfiable ? .placement : .start
            try? await finish(active[id] ?? row, .failed(reason), message: failure?.message ?? "\(error)", finishedAt: nil)
        }
    }

    func reconcileAll() async {
        let rows = active.values.filter { $0.handle != nil && !inFlight.contains($0.id) }
        await withTaskGroup(of: Void.self) { group in
            for row in rows {
                group.addTask { await self.reconcile(row.id) }
            }
        }
        publishCounts()
    }

    /// One look at one instance: move its phase to what the runtime says.
    func reconcile(_ id: String) async {
        guard let row = active[id], let handle = row.handle, let adapter = adapters[row.adapter] else { return }
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
                row = try await transition(row, to: .running, message: "running on \(row.node ?? "?")\(row.gpus.isEmpty ? "" : " with GPUs \(row.gpus.map(String.init).joined(separator: ","))")")
            }
            if row.phase == "running", row.mode != LaunchSpec.Mode.job.rawValue {
                if await isReady(row) {
                    row = try await transition(row, to: .ready, message: row.readiness.map { "readiness probe \($0.path) answered" } ?? "running (no readiness probe)")
                } else if let deadline = row.readyDeadlineMs, now > deadline, !row.stopRequested {
                    row.stopRequested = true
                    row = try await transition(row, to: .stopping, message: "not ready by its deadline; stopping it")
                    row.message = "health-timeout"
                    try await save(row)
                    if let handle = row.handle, let adapter = adapters[row.adapter] {
                        let grace = settings.stopGrace
                        Task { try? await adapter.stop(handle, grace: grace) }
                    }
                }
            }
            try await meter(row, through: now, final: false)
        case .exited(let code):
            let phase: InstancePhase
            if row.message == "health-timeout" {
                phase = .failed(.healthTimeout)
            } else if row.stopRequested {
                phase = .stopped
            } else if code == 0 {
                phase = row.mode == LaunchSpec.Mode.job.rawValue ? .succeeded : .stopped
            } else {
                phase = .failed(.exitNonZero)
            }
            try await finish(row, phase, message: "exited with status \(code)", finishedAt: seen.finishedAt)
        case .failed(let reason, let message):
            if reason == .cancelled, row.stopRequested {
                try await finish(row, row.message == "health-timeout" ? .failed(.healthTimeout) : .stopped, message: message, finishedAt: seen.finishedAt)
            } else {
                try await finish(row, .failed(reason), message: message, finishedAt: seen.finishedAt)
            }
        case .gone:
            try await finish(row, row.stopRequested ? .stopped : .failed(.lost), message: "the runtime no longer knows this workload",
                             finishedAt: nil)
        }
    }

    /// Records a terminal phase, meters the rest of the run, frees the runtime's resources.
    func finish(_ row: InstanceRow, _ phase: InstancePhase, message: String, finishedAt: Timestamp?) async throws {
        var row = row
        let now = Int64(Timestamp.now().millisecondsSinceEpoch)
        row.finishedAtMs = finishedAt.map { Int64($0.millisecondsSinceEpoch) } ?? now
        if let since = row.runningSinceMs, let end = row.finishedAtMs, end < since { row.finishedAtMs = since }
        let audited: (String, Caller?, String?)? = phase.failureReason != nil ? ("apps.instance.fail", nil, nil) : nil
        row = try await transition(row, to: phase, message: message, audit: audited)
        try await meter(row, through: row.finishedAtMs ?? now, final: true)
        if let handle = row.handle, let adapter = adapters[row.adapter] {
            do { try await adapter.release(handle) } catch {
                logger.warning("release failed", metadata: ["instance": "\(row.id)", "error": "\(error)"])
            }
        }
        portsInUse.subtract(row.endpoints.values)
        publishCounts()
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
        guard upTo > row.meteredThrough else { return }
        for index in row.meteredThrough..<upTo {
            let from = start + Int64(index) * length
            let to = min(end, from + length)
            let seconds = (to - from + 500) / 1000
            let at = Timestamp(millisecondsSinceEpoch: UInt64(to))
            var units: [(String, Int64)] = [("app-runtime.second", seconds)]
            if row.gpuCount > 0 { units.append(("gpu.second", seconds * Int64(row.gpuCount))) }
            for (unit, quantity) in units where quantity > 0 {
                try await usage.record(UsageEvent(source: "apps.instances", id: "\(row.id)/\(unit)/\(index)", unit: unit,
                                                  quantity: quantity, project: ProjectID(row.projectId), occurredAt: at))
            }
        }
        var updated = active[row.id] ?? row
        updated.meteredThrough = upTo
        if row.isTerminal {
            try await store.transaction { db in
                try await db.update("apps_instances").set("metered_through", to: SQLBind(upTo)).where("id", .equal, row.id).run()
            }
        } else {
            try await save(updated)
        }
    }

    /// Whether the readiness probe answers 2xx/3xx now (no probe: ready once running).
    func isReady(_ row: InstanceRow) async -> Bool {
        guard let probe = row.readiness else { return true }
        let host = row.host ?? "127.0.0.1"
        var request = HTTPClientRequest(url: "http://\(host):\(probe.port)\(probe.path.hasPrefix("/") ? "" : "/")\(probe.path)")
        request.method = .GET
        do {
            let response = try await http.execute(request, timeout: .seconds(1))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<400).contains(Int(response.status.code))
        } catch {
            return false
        }
    }
}
