import PlatformContracts
import Synchronization

/// The instances this process supervises (every non-terminal one) and the ports they hold,
/// behind one lock. Quotas are not counted here: one process's view cannot see another
/// replica's instances, so admission counts the durable rows instead
/// (``InstanceRepository/admit(_:message:audit:check:)``).
final class LiveInstances: Sendable {
    private struct State {
        var rows: [String: InstanceRow] = [:]
        var ports: Set<Int> = []
        var recovered = false
        var hearingStops = false
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

    /// Whether stops asked on other replicas are heard now (`LISTEN platform_instances`).
    var isHearingStops: Bool { state.withLock { $0.hearingStops } }

    func setHearingStops(_ hearing: Bool) { state.withLock { $0.hearingStops = hearing } }

    /// Marks recovery done: launches may take devices from now on.
    func markRecovered() { state.withLock { $0.recovered = true } }

    /// How many live instances are in each phase (every phase name present).
    func phaseCounts() -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: InstancePhase.names.map { ($0, 0) })
        for row in all() { counts[row.phase.name, default: 0] += 1 }
        return counts
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
