import PlatformContracts
import RuntimeKit
import Synchronization

/// The machine behind ``InMemoryRuntimeAdapter``: the workloads it runs, its GPUs and its
/// clock. It outlives any one adapter, as a host outlives `platformd`: a test makes a second
/// adapter over the same runtime to play a restarted server, which `recover`s its handles.
///
/// State is computed from the injected clock whenever it is read, so nothing runs in the
/// background: with a ``ManualClock`` a test moves a workload from pending to running to
/// exited by advancing time.
///
/// ```swift
/// let clock = ManualClock()
/// let runtime = InMemoryRuntime(clock: clock, gpuCount: 2) { spec in
///     spec.app == "broken" ? InMemoryBehaviour(startFailure: "no such file") : .serve
/// }
/// let adapter = InMemoryRuntimeAdapter(runtime: runtime)
/// ```
public final class InMemoryRuntime: Sendable {
    /// Chooses what a launch does from its spec.
    public typealias Selector = @Sendable (LaunchSpec) -> InMemoryBehaviour

    /// Where time comes from.
    public let clock: any PlatformClock
    /// The runtime's one node.
    public let node: String
    /// Its GPUs (fake, `GPU-memory-<index>`).
    public let devices: [GPUDevice]
    let select: Selector
    private let workloads = Mutex<[String: InMemoryWorkload]>([:])
    /// The persistent volumes of the runtime (they outlive workloads and adapters).
    public let volumeStore = InMemoryVolumeStore()

    /// Creates a runtime.
    /// - Parameters:
    ///   - clock: the time workloads follow (``SystemClock`` or a test's ``ManualClock``).
    ///   - node: the node name observations carry.
    ///   - gpuCount: how many GPUs the node has; `gpuModel` is their registry id.
    ///   - behaviour: what each launch does; by default every launch gets `defaultBehaviour`.
    public init(clock: any PlatformClock, node: String = "memory", gpuCount: Int = 0, gpuModel: String = "h100",
                defaultBehaviour: InMemoryBehaviour = .serve, behaviour: Selector? = nil) {
        self.clock = clock
        self.node = node
        self.devices = (0..<max(0, gpuCount)).map {
            GPUDevice(index: $0, uuid: "GPU-memory-\($0)", name: "In-memory GPU", modelId: gpuModel, memoryMiB: 81_920)
        }
        self.select = behaviour ?? { _ in defaultBehaviour }
    }

    /// The behaviour a launch of `spec` gets.
    public func behaviour(for spec: LaunchSpec) -> InMemoryBehaviour { select(spec) }

    /// Appends `text` to a running workload's log now, as its process would print it.
    /// - Returns: whether the runtime knows the workload.
    @discardableResult
    public func write(_ text: String, to instanceId: String) -> Bool {
        let now = clock.nowMilliseconds()
        return workloads.withLock { workloads in
            guard workloads[instanceId] != nil else { return false }
            workloads[instanceId]?.written.append((now, text))
            return true
        }
    }

    /// Ends a live workload now with `state` (`.exited(code:)`, `.failed`, `.gone`), as a crash,
    /// an OOM kill or a wiped node would, whatever its behaviour planned.
    /// - Returns: whether it was live and is ended now.
    @discardableResult
    public func end(_ instanceId: String, as state: RuntimeState) -> Bool {
        let now = clock.nowMilliseconds()
        return workloads.withLock { workloads in
            guard var workload = workloads[instanceId], state.isTerminal, workload.end(at: now) == nil else { return false }
            workload.imposedEnd = (now, state)
            workloads[instanceId] = workload
            return true
        }
    }

    /// What the runtime says about `instanceId` now; `.gone` when it knows no such workload.
    public func observation(of instanceId: String) -> RuntimeObservation {
        let now = clock.nowMilliseconds()
        return workloads.withLock { $0[instanceId] }?.observation(at: now, node: node) ?? RuntimeObservation(state: .gone, node: node)
    }

    /// The instance ids the runtime holds a record of (ended ones too, until destroyed).
    public var instanceIds: [String] { workloads.withLock { $0.keys.sorted() } }

    func launch(_ workload: InMemoryWorkload) {
        let now = clock.nowMilliseconds()
        workloads.withLock { workloads in
            var workload = workload
            // A restart (a new launch of the same instance) keeps the earlier runs' log, as the
            // real adapters keep the log file.
            if let earlier = workloads[workload.spec.instanceId] { workload.earlierLog = earlier.log(at: now) }
            workloads[workload.spec.instanceId] = workload
        }
    }

    func workload(_ instanceId: String) -> InMemoryWorkload? {
        workloads.withLock { $0[instanceId] }
    }

    /// Records a stop request (the first one counts); returns when the workload ends, at the latest.
    func requestStop(_ instanceId: String, grace: Duration) -> Int64? {
        let now = clock.nowMilliseconds()
        return workloads.withLock { workloads -> Int64? in
            guard var workload = workloads[instanceId] else { return nil }
            if workload.end(at: now) == nil, workload.stopRequest == nil {
                workload.stopRequest = (now, grace)
                workloads[instanceId] = workload
            }
            return workload.end(at: Int64.max)?.at
        }
    }

    func remove(_ instanceId: String) {
        _ = workloads.withLock { $0.removeValue(forKey: instanceId) }
    }
}
