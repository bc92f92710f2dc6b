import PlatformContracts
import Synchronization

/// The instances this process supervises (every non-terminal one), the ports they hold and
/// the admissions between their quota check and their insert, behind one lock.
///
/// Admission and the supervisor share it: a quota check and its reservation are one
/// critical section (``reserve(project:gpus:quotas:)``), and an admitted row replaces its
/// reservation in another (``adopt(_:reservedGPUs:)``), so concurrent launches can never
/// all pass the same last slot and a check never sees an instance twice.
final class LiveInstances: Sendable {
    private struct State {
        var rows: [String: InstanceRow] = [:]
        var ports: Set<Int> = []
        var admitting: [String: (instances: Int, gpus: Int)] = [:]
        var recovered = false
    }

    private let state = Mutex(State())

    /// The live copy of one instance.
    func row(_ id: String) -> InstanceRow? { state.withLock { $0.rows[id] } }

    /// Every live instance.
    func all() -> [InstanceRow] { state.withLock { Array($0.rows.values) } }

    /// Replaces (or adds) the live copy.
    func put(_ row: InstanceRow) { state.withLock { $0.rows[row.id] = row } }

    /// Forgets an instance (it became terminal or cannot be supervised).
    func remove(_ id: String) { state.withLock { $0.rows[id] = nil } }

    /// Whether the previous process's instances have been re-attached.
    var isRecovered: Bool { state.withLock { $0.recovered } }

    /// Marks recovery done: launches may take devices from now on.
    func markRecovered() { state.withLock { $0.recovered = true } }

    /// How many live instances are in each phase (every phase name present).
    func phaseCounts() -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: InstancePhase.names.map { ($0, 0) })
        for row in all() { counts[row.phase.name, default: 0] += 1 }
        return counts
    }

    /// Checks a project's quotas against its live instances plus the admissions in flight and
    /// counts this one in flight, atomically.
    /// - Throws: ``ErrorCode/instanceQuotaExceeded``.
    func reserve(project: String, gpus: Int, quotas: [String: Int]) throws(PlatformError) {
        try state.withLock { (state: inout State) throws(PlatformError) in
            let live = state.rows.values.filter { $0.projectId == project }
            let pending = state.admitting[project] ?? (0, 0)
            let count = live.count + pending.instances
            let gpuTotal = live.reduce(0) { $0 + $1.gpuCount } + pending.gpus
            if let limit = quotas["concurrent_instances"], count + 1 > limit {
                throw PlatformError(.instanceQuotaExceeded, "project \(project) already runs \(count) instances; its quota is \(limit)",
                                    details: ["quota": "concurrent_instances", "limit": String(limit), "used": String(count)])
            }
            if let limit = quotas["gpus"], gpuTotal + gpus > limit {
                throw PlatformError(.instanceQuotaExceeded, "project \(project) holds \(gpuTotal) GPUs; \(gpus) more exceed its quota of \(limit)",
                                    details: ["quota": "gpus", "limit": String(limit), "used": String(gpuTotal)])
            }
            state.admitting[project] = (pending.instances + 1, pending.gpus + gpus)
        }
    }

    /// Gives back a reservation whose admission failed.
    func releaseReservation(project: String, gpus: Int) {
        state.withLock { Self.release(&$0, project: project, gpus: gpus) }
    }

    /// Makes an admitted row live and drops its reservation in the same step.
    func adopt(_ row: InstanceRow, reservedGPUs: Int) {
        state.withLock { state in
            state.rows[row.id] = row
            Self.release(&state, project: row.projectId, gpus: reservedGPUs)
        }
    }

    private static func release(_ state: inout State, project: String, gpus: Int) {
        guard let pending = state.admitting[project] else { return }
        state.admitting[project] = pending.instances <= 1 ? nil : (pending.instances - 1, pending.gpus - gpus)
    }

    /// A free TCP port per endpoint, never one another live instance holds.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` when none is found.
    func allocatePorts(_ endpoints: [String], next: () -> Int = FreeTCPPort.next) throws(PlatformError) -> [String: Int] {
        var ports: [String: Int] = [:]
        for endpoint in endpoints {
            var port = 0
            for _ in 0..<20 {
                let candidate = next()
                let taken = state.withLock { state in
                    guard candidate > 0, !state.ports.contains(candidate) else { return true }
                    state.ports.insert(candidate)
                    return false
                }
                if !taken { port = candidate; break }
            }
            guard port > 0 else {
                freePorts(ports.values)
                throw PlatformError(.runtimePlacementUnsatisfiable, "no free port for endpoint \(endpoint)")
            }
            ports[endpoint] = port
        }
        return ports
    }

    /// Records ports as held (a re-attached instance's).
    func holdPorts(_ ports: some Sequence<Int>) { state.withLock { $0.ports.formUnion(ports) } }

    /// Frees ports.
    func freePorts(_ ports: some Sequence<Int>) { state.withLock { $0.ports.subtract(ports) } }
}
