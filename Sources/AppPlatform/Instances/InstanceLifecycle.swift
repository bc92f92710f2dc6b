import PlatformContracts

/// `lifecycle.restartPolicy`: when the supervisor starts an ended workload again.
enum RestartPolicy: String, Codable, Sendable, Hashable, CaseIterable {
    /// Never: an end is the instance's end.
    case never
    /// After a failure: a non-zero exit, a runtime failure it can recover from (out of memory,
    /// node lost, preempted), a failed startup or liveness probe.
    case onFailure = "on-failure"
    /// After any end of a service or interactive instance (a job restarts only after a failure:
    /// its exit 0 is its success).
    case always
}

/// One startup or liveness probe as admission resolved it: the allocated port, HTTP or TCP by
/// the endpoint's protocol, and the manifest's timing.
struct HealthProbe: Codable, Sendable, Hashable {
    var endpoint: String
    var port: Int
    var kind: ProbeTarget.Kind
    var path: String
    /// Seconds between two looks (`periodSeconds`, default 10).
    var periodSeconds: Int
    /// How long one look may take (`timeoutSeconds`, default 1).
    var timeoutSeconds: Int
    /// Failures in a row that count as failed (`failureThreshold`, default 3).
    var failureThreshold: Int

    /// What one look asks.
    func target(host: String) -> ProbeTarget {
        ProbeTarget(kind: kind, host: host, port: port, path: path, timeout: .seconds(timeoutSeconds))
    }
}

/// What the supervisor does over an instance's life beyond its phase: its restart policy
/// with the project's crash-loop limit and backoff cap (policy read at admission, so a
/// long-lived instance keeps the snapshot it was admitted under), and its startup and liveness
/// probes. Stored with the row (`lifecycle`).
struct InstanceLifecycle: Codable, Sendable, Hashable {
    /// `lifecycle.restartPolicy`.
    var restartPolicy: RestartPolicy
    /// `lifecycle.crash_loop_restarts`: restarts before a further failure ends it `failed(crash-loop)`.
    var crashLoopRestarts: Int
    /// `lifecycle.restart_backoff_max_seconds`: the longest wait before a restart.
    var backoffMaxSeconds: Int
    /// `health.startup`: gates readiness; readiness is probed only once it has passed.
    var startup: HealthProbe?
    /// `health.liveness`: probed once ready; `failureThreshold` failures in a row restart it
    /// (or fail it `liveness` when its policy does not restart).
    var liveness: HealthProbe?

    /// The policy keys read at admission.
    static let crashLoopKey = "lifecycle.crash_loop_restarts"
    static let backoffKey = "lifecycle.restart_backoff_max_seconds"
    /// A run this long (ms) resets the restart count: the instance was healthy, its next
    /// failure starts a new count.
    static let healthyRunMs: Int64 = 10 * 60_000

    /// Resolves the manifest's lifecycle and health against the allocated ports and the policy.
    static func resolve(_ manifest: LaunchManifest, ports: [String: Int], snapshot: PolicySnapshot, project: Project) -> InstanceLifecycle {
        let protocols = Dictionary((manifest.endpoints ?? []).map { ($0.name, $0.protocol ?? "http") }) { first, _ in first }
        func probe(_ probe: LaunchManifest.Probe?) -> HealthProbe? {
            guard let probe, let endpoint = probe.endpoint, let port = ports[endpoint] else { return nil }
            return HealthProbe(endpoint: endpoint, port: port, kind: protocols[endpoint] == "http" ? .http : .tcp, path: probe.path ?? "/",
                               periodSeconds: max(1, probe.periodSeconds ?? 10), timeoutSeconds: max(1, probe.timeoutSeconds ?? 1),
                               failureThreshold: max(1, probe.failureThreshold ?? 3))
        }
        return InstanceLifecycle(
            restartPolicy: manifest.lifecycle?.restartPolicy.flatMap(RestartPolicy.init(rawValue:)) ?? .never,
            crashLoopRestarts: Int(clamping: max(0, snapshot.integer(crashLoopKey, project: project.id, tenant: project.tenantId) ?? 5)),
            backoffMaxSeconds: Int(clamping: max(1, snapshot.integer(backoffKey, project: project.id, tenant: project.tenantId) ?? 300)),
            startup: probe(manifest.health?.startup), liveness: probe(manifest.health?.liveness))
    }

    /// Fills an admitted row's lifecycle and its readiness probe's kind and timeout.
    static func apply(_ manifest: LaunchManifest, ports: [String: Int], snapshot: PolicySnapshot, project: Project, to row: inout InstanceRow) {
        row.lifecycle = resolve(manifest, ports: ports, snapshot: snapshot, project: project)
        if let endpoint = row.readiness?.endpoint {
            let declared = manifest.endpoints?.first { $0.name == endpoint }?.protocol ?? "http"
            row.readiness?.kind = declared == "http" ? .http : .tcp
            row.readiness?.timeoutSeconds = manifest.health?.readiness?.timeoutSeconds
        }
        prefixKeptProbes(manifest, to: &row)
    }

    /// Whether an end restarts the instance under this policy.
    /// - Parameters:
    ///   - failure: The runtime's typed failure, when it failed rather than exited.
    ///   - code: The exit status, when it exited.
    ///   - probeKilled: It was killed because a startup or liveness probe failed.
    func restarts(mode: InstanceMode, code: Int32?, failure: FailureReason?, probeKilled: Bool) -> Bool {
        let failed = probeKilled || (code.map { $0 != 0 } ?? false) || failure.map(Self.recoverable.contains) == true
        switch restartPolicy {
        case .never: return false
        case .onFailure: return failed
        case .always: return mode == .job ? failed : (failed || code != nil)
        }
    }

    /// Runtime failures a restart may cure (a time limit or an operator's cancel is final).
    static let recoverable: Set<FailureReason> = [.oom, .nodeLost, .preempted, .exitNonZero, .liveness, .lost]

    /// The wait before restart number `restartCount + 1`: 1 s doubling, capped at ``backoffMaxSeconds``.
    func backoffMs(afterRestarts restartCount: Int) -> Int64 {
        let seconds = restartCount >= 30 ? Int64(backoffMaxSeconds) : min(Int64(1) << Int64(max(0, restartCount)), Int64(backoffMaxSeconds))
        return seconds * 1000
    }
}
