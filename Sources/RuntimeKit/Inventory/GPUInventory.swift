import PlatformContracts

/// The GPUs of every node and which instance holds which device. Placement picks the first
/// node (in declaration order) with enough free devices of the requested model and memory;
/// a device is never given to two instances unless both asked for shared devices.
public actor GPUInventory {
    private var nodes: [GPUNode]
    private var allocations: [String: (allocation: GPUAllocation, shared: Bool)] = [:]

    /// Creates an inventory from discovered or declared nodes.
    public init(nodes: [GPUNode]) {
        self.nodes = nodes
    }

    /// Every node with its free and used devices.
    public func snapshot() -> [NodeUsage] {
        nodes.map { node in
            NodeUsage(node: node.name, devices: node.devices.map { device in
                NodeUsage.Device(device: device, instance: allocations.values
                    .filter { $0.allocation.node == node.name && $0.allocation.devices.contains(device) }
                    .map(\.allocation.instance).sorted().first)
            })
        }
    }

    /// The devices a request would get now, reserving nothing.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` as ``allocate(instance:_:shared:)``.
    public func placement(for request: GPURequest, shared: Bool = false) throws(PlatformError) -> [GPUDevice] {
        try choose(request, shared: shared).devices
    }

    /// Reserves devices for an instance; the same instance again gets its existing allocation.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` saying why no node fits (no node
    ///   has that many such devices at all, or they are all in use).
    public func allocate(instance: String, _ request: GPURequest, shared: Bool = false) throws(PlatformError) -> GPUAllocation {
        if let existing = allocations[instance] { return existing.allocation }
        let choice = try choose(request, shared: shared)
        let allocation = GPUAllocation(instance: instance, node: choice.node, devices: choice.devices)
        if !allocation.devices.isEmpty { allocations[instance] = (allocation, shared) }
        return allocation
    }

    /// Re-reserves what a recovered instance holds.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` when a device is unknown or held
    ///   exclusively by another instance.
    public func restore(_ allocation: GPUAllocation, shared: Bool = false) throws(PlatformError) {
        let held = heldDevices(compatibleWith: shared)
        for device in allocation.devices {
            guard nodes.contains(where: { $0.name == allocation.node && $0.devices.contains { $0.uuid == device.uuid } }) else {
                throw PlatformError(.runtimePlacementUnsatisfiable, "device \(device.uuid) of \(allocation.instance) is not on \(allocation.node) any more")
            }
            if held.contains(device.uuid), allocations[allocation.instance] == nil {
                throw PlatformError(.runtimePlacementUnsatisfiable, "device \(device.uuid) of \(allocation.instance) is held by another instance")
            }
        }
        allocations[allocation.instance] = (allocation, shared)
    }

    /// Releases an instance's devices; returns whether it held any.
    @discardableResult
    public func release(instance: String) -> Bool {
        allocations.removeValue(forKey: instance) != nil
    }

    /// Devices a request may not use: every held device for an exclusive request, only
    /// exclusively held ones for a shared request.
    private func heldDevices(compatibleWith shared: Bool) -> Set<String> {
        Set(allocations.values.filter { !shared || !$0.shared }.flatMap(\.allocation.devices).map(\.uuid))
    }

    private func choose(_ request: GPURequest, shared: Bool) throws(PlatformError) -> (node: String, devices: [GPUDevice]) {
        guard request.count > 0 else { return (nodes.first?.name ?? "", []) }
        let busy = heldDevices(compatibleWith: shared)
        var largestCapacity = 0
        for node in nodes {
            let matching = node.devices.filter { device in
                (request.model == nil || device.modelId == request.model) && device.memoryMiB >= request.minMemoryMiB
            }
            largestCapacity = max(largestCapacity, matching.count)
            let free = matching.filter { !busy.contains($0.uuid) }
            if free.count >= request.count { return (node.name, Array(free.prefix(request.count))) }
        }
        let what = "\(request.count) × \(request.model ?? "any GPU")\(request.minMemoryMiB > 0 ? " with ≥ \(request.minMemoryMiB) MiB" : "")"
        if largestCapacity < request.count {
            throw PlatformError(.runtimePlacementUnsatisfiable,
                                "no node has \(what); the largest has \(largestCapacity) such device\(largestCapacity == 1 ? "" : "s")",
                                details: ["reason": "capacity"])
        }
        throw PlatformError(.runtimePlacementUnsatisfiable, "every node with \(what) is in use; retry when an instance stops",
                            details: ["reason": "busy"])
    }
}
