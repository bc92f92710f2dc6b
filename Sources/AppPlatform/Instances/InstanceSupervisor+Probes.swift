import Logging
import PlatformContracts
import RuntimeKit

/// Where one run of an instance stands with its startup and liveness probes. Kept in memory:
/// a restarted server, like a restarted run, starts the count over.
struct ProbeProgress: Sendable, Hashable {
    /// The startup probe has passed (or there is none): readiness is probed from now on.
    var startupPassed = false
    /// Failed looks in a row of the probe now in charge (startup until it passes, then liveness).
    var failures = 0
    /// When the probe in charge last looked (clock ms).
    var lastLookMs: Int64?
}

/// A workload being killed because a probe failed, so that its restart policy starts it again.
struct ProbeKill: Sendable, Hashable {
    /// What failed, for the restart's message.
    var message: String
}

/// What the startup gate says about a running instance now.
enum StartupGate: Sendable, Hashable {
    /// Passed (or none): probe readiness.
    case passed
    /// Not passed yet, within its allowance.
    case waiting
    /// Failed `failureThreshold` looks: the instance is restarting or stopping.
    case failed
}

extension InstanceSupervisor {
    /// Looks at the startup probe when one is due (every `periodSeconds`): readiness waits
    /// until it passes; `failureThreshold` failed looks (`periodSeconds × failureThreshold`)
    /// restart the instance when its policy restarts, else stop it for `health-timeout`.
    func lookAtStartup(_ row: InstanceRow, now: Int64) async -> StartupGate {
        var progress = probes[row.id] ?? ProbeProgress()
        guard let startup = row.lifecycle?.startup, !progress.startupPassed else { return .passed }
        if let last = progress.lastLookMs, now - last < Int64(startup.periodSeconds) * 1000 { return .waiting }
        progress.lastLookMs = now
        if await prober.probe(startup.target(host: row.host ?? "127.0.0.1")) {
            progress = ProbeProgress(startupPassed: true)
            probes[row.id] = progress
            return .passed
        }
        progress.failures += 1
        probes[row.id] = progress
        guard progress.failures >= startup.failureThreshold else { return .waiting }
        let message = "startup probe on \(startup.endpoint) failed \(progress.failures) times in a row"
        await probeFailed(row, restartMessage: message, stopCause: .healthTimeout, stopMessage: "\(message); stopping it")
        return .failed
    }

    /// Looks at the liveness probe of a ready instance when one is due: `failureThreshold`
    /// failures in a row restart it when its policy restarts, else end it `failed(liveness)`.
    func lookAtLiveness(_ row: InstanceRow, now: Int64) async {
        guard let liveness = row.lifecycle?.liveness else { return }
        var progress = probes[row.id] ?? ProbeProgress(startupPassed: true)
        if !progress.startupPassed {
            progress = ProbeProgress(startupPassed: true)
        }
        if let last = progress.lastLookMs, now - last < Int64(liveness.periodSeconds) * 1000 { return }
        progress.lastLookMs = now
        if await prober.probe(liveness.target(host: row.host ?? "127.0.0.1")) {
            progress.failures = 0
            probes[row.id] = progress
            return
        }
        progress.failures += 1
        probes[row.id] = progress
        guard progress.failures >= liveness.failureThreshold else { return }
        let message = "liveness probe on \(liveness.endpoint) failed \(progress.failures) times in a row"
        await probeFailed(row, restartMessage: message, stopCause: .liveness, stopMessage: "\(message); stopping it")
    }

    /// A probe failed for good: kill the workload for a restart when the policy restarts
    /// (the end it reports is then this failure), else stop it for `stopCause`.
    func probeFailed(_ row: InstanceRow, restartMessage: String, stopCause: StopCause, stopMessage: String) async {
        probes[row.id] = nil
        if row.lifecycle?.restarts(mode: row.mode, code: nil, failure: nil, probeKilled: true) == true, let handle = row.handle {
            probeKills[row.id] = ProbeKill(message: restartMessage)
            logger.notice("probe failed; restarting", metadata: ["instance": "\(row.id)", "probe": "\(restartMessage)"])
            queue.yield(.stop(handle, adapter: row.adapter))
            return
        }
        do {
            _ = try await requestStop(row, cause: stopCause, message: stopMessage, actor: nil, requestID: nil)
        } catch {
            logger.error("probe stop not recorded", metadata: ["instance": "\(row.id)", "error": "\(error)"])
        }
    }

    /// Forgets an instance's probe progress (it ended, or a new run begins).
    func forgetProbes(of id: String) {
        probes[id] = nil
        probeKills[id] = nil
    }
}
