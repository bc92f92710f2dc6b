import Foundation
import PlatformContracts
import RuntimeKit

/// The runtime adapter twin: the ``RuntimeAdapter`` contract over an ``InMemoryRuntime``,
/// with no process, container or scheduler behind it.
///
/// It exists for the fast test tier: the app platform's admission, phase machine,
/// recovery, idle stop and metering run in-process against it with a ``ManualClock``, in
/// milliseconds and without root, runc or Slurm. It passes the same conformance suite as
/// `local` and `slurm` (`Tests/RuntimeKitTests/Conformance`), so what holds for the twin is
/// what the platform may count on from a real runtime. Each launch does what its
/// ``InMemoryBehaviour`` says (run after a delay, exit, fail to start, get lost, not fit).
///
/// GPUs follow the local adapter's contract: `plan` refuses a request that never fits (and
/// one that does not fit now: there is no queue), `start` reserves, `release` frees,
/// `recover` re-reserves what a live workload holds.
public struct InMemoryRuntimeAdapter: RuntimeAdapter {
    /// Handle format this adapter writes.
    static let handleVersion = 1

    /// The runtime it drives.
    public let runtime: InMemoryRuntime
    /// The reservations of this adapter's server (a restarted one starts empty and recovers).
    public let inventory: GPUInventory
    /// The fixed capabilities value; `name` is the adapter name handles carry.
    public let capabilities: RuntimeAdapterCapabilities

    /// Creates an adapter over `runtime`.
    /// - Parameters:
    ///   - name: the adapter name (default `memory`; a test may stand it in for `local`).
    ///   - inventory: the GPU reservations to use; by default a fresh one over the runtime's devices.
    public init(runtime: InMemoryRuntime, name: String = "memory", inventory: GPUInventory? = nil) {
        self.runtime = runtime
        self.inventory = inventory ?? GPUInventory(nodes: [GPUNode(name: runtime.node, devices: runtime.devices)])
        self.capabilities = RuntimeAdapterCapabilities(name: name, modes: ["interactive", "service", "job"],
                                                       gpus: true, exec: false, portForward: false, recover: true)
    }

    public func validate(_ spec: LaunchSpec) throws(PlatformError) {
        if let unknown = spec.overrides.keys.sorted().first {
            throw PlatformError(.runtimeSpecInvalid, "the \(capabilities.name) adapter takes no override \"\(unknown)\"")
        }
        guard spec.gpus.count >= 0 else { throw PlatformError(.runtimeSpecInvalid, "a GPU count cannot be negative") }
        guard spec.nodes == 1 else { throw PlatformError(.runtimeSpecInvalid, "the \(capabilities.name) runtime has one node, not \(spec.nodes)") }
        try spec.validateVolumes()
    }

    public func plan(_ spec: LaunchSpec) async throws -> PlacementPlan {
        try validate(spec)
        if runtime.behaviour(for: spec).refusesCapacity {
            throw PlatformError(.runtimePlacementUnsatisfiable, "no node of the \(capabilities.name) runtime can take \(spec.app)",
                                details: ["reason": "capacity"])
        }
        let devices = try await inventory.placement(for: spec.gpus)
        return PlacementPlan(node: runtime.node, devices: devices, mayQueue: false,
                             summary: devices.isEmpty ? "\(runtime.node): no GPUs" : "\(runtime.node): GPUs \(devices.map { String($0.index) }.joined(separator: ","))")
    }

    public func start(_ spec: LaunchSpec, plan: PlacementPlan) async throws -> RuntimeHandle {
        try validate(spec)
        let behaviour = runtime.behaviour(for: spec).limited(by: spec)  // memory and disk limits hold it
        if let reason = behaviour.startFailure { throw PlatformError(.runtimeStartFailed, reason) }
        let secretEnvironment = try spec.secretEnvironment()  // unresolved secrets: nothing is reserved
        let allocation = try await inventory.allocate(instance: spec.instanceId, spec.gpus)
        var environment = spec.environment
        environment["PLATFORM_INSTANCE_ID"] = spec.instanceId
        if !allocation.devices.isEmpty {
            let visible = allocation.visibleDevices
            environment["CUDA_VISIBLE_DEVICES"] = visible
            environment["NVIDIA_VISIBLE_DEVICES"] = visible
        }
        // Secrets as the real adapters deliver them: files under /run/secrets, variables where asked.
        environment.merge(secretEnvironment) { $1 }
        var workload = InMemoryWorkload(spec: spec, behaviour: behaviour, environment: environment, devices: allocation.devices,
                                        launchedAt: runtime.clock.nowMilliseconds())
        workload.secretFiles = InMemoryWorkload.secretFiles(of: spec)
        runtime.launch(workload)
        if !behaviour.volumeSteps.isEmpty { runtime.write(runtime.volumeStore.run(behaviour.volumeSteps, spec: spec), to: spec.instanceId) }
        return RuntimeHandle(adapter: capabilities.name, version: Self.handleVersion, instanceId: spec.instanceId, fields: [
            "node": runtime.node, "shared": spec.gpuSharing == .shared ? "true" : "false", "sharing": spec.gpuSharing.rawValue,
            "devices": String(decoding: try JSONEncoder().encode(allocation.devices), as: UTF8.self),
        ])
    }

    public func inspect(_ handle: RuntimeHandle) async throws -> RuntimeObservation {
        try check(handle)
        return runtime.observation(of: handle.instanceId)
    }

    public func logs(_ handle: RuntimeHandle, from offset: Int64) async throws -> LogChunk {
        try check(handle)
        let bytes = Array((runtime.workload(handle.instanceId)?.log(at: runtime.clock.nowMilliseconds()) ?? "").utf8)
        let start = Int(min(max(0, offset), Int64(bytes.count)))
        let end = min(bytes.count, start + (1 << 20))
        return LogChunk(data: Array(bytes[start..<end]), nextOffset: Int64(end))
    }

    /// Asks the workload to stop and waits, on the runtime's clock, until it has ended: at
    /// once, after its stop delay, or killed (137) when the delay outlasts `grace`.
    public func stop(_ handle: RuntimeHandle, grace: Duration) async throws {
        try check(handle)
        guard let endsAt = runtime.requestStop(handle.instanceId, grace: grace) else { return }
        let wait = endsAt - runtime.clock.nowMilliseconds()
        if wait > 0 { try await runtime.clock.sleep(for: .milliseconds(wait)) }
    }

    public func release(_ handle: RuntimeHandle) async throws {
        try check(handle)
        await inventory.release(instance: handle.instanceId)
    }

    public func destroy(_ handle: RuntimeHandle) async throws {
        try check(handle)
        if !runtime.observation(of: handle.instanceId).state.isTerminal { try await stop(handle, grace: .seconds(5)) }
        try await release(handle)
        runtime.remove(handle.instanceId)
    }

    public func recover(_ handle: RuntimeHandle) async throws -> RuntimeHandle {
        try check(handle)
        let devices = try JSONDecoder().decode([GPUDevice].self, from: Data((handle.fields["devices"] ?? "[]").utf8))
        if !runtime.observation(of: handle.instanceId).state.isTerminal, !devices.isEmpty {
            try await inventory.restore(GPUAllocation(instance: handle.instanceId, node: try handle.field("node"), devices: devices),
                                        sharing: handle.fields["sharing"].flatMap(GPUSharing.init(rawValue:)) ?? (handle.fields["shared"] == "true" ? .shared : .exclusive))
        }
        return handle
    }

    func check(_ handle: RuntimeHandle) throws(PlatformError) {
        try handle.require(adapter: capabilities.name, versions: 1...Self.handleVersion)
    }
}
