import PlatformContracts

/// The GPUs of every node and which instance holds which device. Placement picks the first
/// node (in declaration order) with enough free devices of the requested model and memory;
/// a device is never given to two instances.
public actor GPUInventory {
    private var nodes: [GPUNode]
    private var allocations: [String: GPUAllocation] = [:]

    /// Creates an inventory from discovered or declared nodes.
    public init(nodes: [GPUNode]) {
        self.nodes = nodes
    }

    /// Every node with its free and used devices.
    public func snapshot() -> [NodeUsage] {
        nodes.map { node in
            let used = allocations.values.filter { $0.node == node.name }.flatMap(\.devices).map(\.uuid)
            return NodeUsage(node: node.name, devices: node.devices.map { device in
                NodeUsage.Device(device: device, instance: used.contains(device.uuid)
                    ? allocations.values.first { $0.devices.contains(device) }?.instance : nil)
            })
        }
    }

    /// Reserves devices for an instance.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` saying why no node fits (no node
    ///   has that many such devices at all, or they are all in use).
    public func allocate(instance: String, _ request: GPURequest) throws(PlatformError) -> GPUAllocation {
        if let existing = allocations[instance] { return existing }
        guard request.count > 0 else { return GPUAllocation(instance: instance, node: nodes.first?.name ?? "", devices: []) }
        let busy = Set(allocations.values.flatMap(\.devices).map(\.uuid))
        var largestCapacity = 0
        for node in nodes {
            let matching = node.devices.filter { device in
                (request.model == nil || device.modelId == request.model) && device.memoryMiB >= request.minMemoryMiB
            }
            largestCapacity = max(largestCapacity, matching.count)
            let free = matching.filter { !busy.contains($0.uuid) }
            if free.count >= request.count {
                let allocation = GPUAllocation(instance: instance, node: node.name, devices: Array(free.prefix(request.count)))
                allocations[instance] = allocation
                return allocation
            }
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

    /// Releases an instance's devices; returns whether it held any.
    @discardableResult
    public func release(instance: String) -> Bool {
        allocations.removeValue(forKey: instance) != nil
    }
}
