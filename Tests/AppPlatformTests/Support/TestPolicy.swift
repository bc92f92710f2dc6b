import PlatformContracts
import Synchronization

/// Policy snapshots built by hand for the fast tier: the keys admission, connect and the
/// registry enforce, with the values a test gives (everything else permissive: flags on,
/// lists empty, limits generous).
enum TestPolicy {
    /// A snapshot whose plan `plan.test` (every tenant's) sets `values` over the defaults.
    static func snapshot(id: String = "01JTESTP0L1CYSNAPSH0T00001", _ values: [String: PolicyValue] = [:]) -> PolicySnapshot {
        let defaults: [String: PolicyValue] = [
            "quota.concurrent_instances": .integer(20), "quota.gpus": .integer(8), "quota.gpus_by_model": .integerMap([:]),
            "quota.gpu_hours_per_month": .integer(2000), "quota.registry_storage_bytes": .integer(100 << 30),
            "access.gpu_models": .list([]), "access.artifact_types": .list([]),
            "connect.ssh": .flag(true), "runtime.slurm": .flag(true),
            "billing.budget_stops_running": .flag(false), "billing.budget_grace_seconds": .integer(900),
            "artifacts.quarantine_stops_instances": .flag(false),
            "lifecycle.crash_loop_restarts": .integer(5), "lifecycle.restart_backoff_max_seconds": .integer(300),
            "quota.volume_bytes": .integer(100 << 30),
        ]
        var definitions: [String: PolicyDefinition] = [:]
        for (key, value) in defaults {
            definitions[key] = PolicyDefinition(policyKey: key, scope: .project, type: value.type, default: value, description: key)
        }
        return PolicySnapshot(id: id, version: 1, createdAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000), definitions: definitions,
                              plans: ["plan.test": PolicyPlan(planId: "plan.test", description: "test", values: values)],
                              defaultPlan: "plan.test")
    }

    /// A fixed, always-fresh evaluator of ``snapshot(id:_:)``.
    static func fixed(_ values: [String: PolicyValue] = [:]) -> FixedPolicyEvaluator { FixedPolicyEvaluator(snapshot(values)) }
}

/// A policy whose freshness a test controls: ``stale`` makes every write refuse with
/// `policy.stale`, as a replica past its freshness budget does.
final class SwitchablePolicy: PolicyEvaluator {
    private let state: Mutex<(snapshot: PolicySnapshot, stale: Bool)>

    init(_ snapshot: PolicySnapshot) { state = Mutex((snapshot, false)) }

    var stale: Bool {
        get { state.withLock { $0.stale } }
        set { state.withLock { $0.stale = newValue } }
    }

    var current: PolicySnapshot {
        get { state.withLock { $0.snapshot } }
        set { state.withLock { $0.snapshot = newValue } }
    }

    func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot {
        let (snapshot, stale) = state.withLock { ($0.snapshot, $0.stale) }
        guard !stale else {
            throw PlatformError(.policyStale, "the policy snapshot is past its freshness budget; \(write.rawValue) writes are refused",
                                details: ["policy_snapshot": snapshot.id])
        }
        return snapshot
    }

    func read() async -> PolicyRead {
        let (snapshot, stale) = state.withLock { ($0.snapshot, $0.stale) }
        return PolicyRead(snapshot: snapshot, age: stale ? .seconds(600) : .zero, stale: stale)
    }
}
