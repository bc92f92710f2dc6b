import PlatformContracts

/// The GPUs of every node and which instance holds which device. Placement picks the first
/// node (in declaration order) with enough free devices of the requested model and memory,
/// as the request's ``GPUSharing`` says:
///
/// - `exclusive`: whole GPUs nobody else holds;
/// - `shared`: whole GPUs held by nobody or only by other shared requests;
/// - `mig`: free MIG slices of the requested profile, each held alone.
///
/// A MIG slice is never handed out as a whole GPU, and a GPU in MIG mode (or one whose slices
/// the inventory lists) is never handed out whole: CUDA cannot use it so.
///
/// With ``GPUDeviceClaims`` (replicas on one database), every allocation is claimed there
/// before it is returned, and one that collides with another replica's is chosen again around it.
public actor GPUInventory {
    private var nodes: [GPUNode]
    private var allocations: [String: (allocation: GPUAllocation, sharing: GPUSharing)] = [:]
    private let claims: (any GPUDeviceClaims)?

    /// Creates an inventory from discovered or declared nodes.
    /// - Parameter claims: Where allocations are claimed across replicas (`nil`: this process alone).
    public init(nodes: [GPUNode], claims: (any GPUDeviceClaims)? = nil) {
        self.nodes = nodes
        self.claims = claims
    }

    /// Every node as it was declared or discovered.
    public var allNodes: [GPUNode] { nodes }

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
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` as ``allocate(instance:_:)``.
    public func placement(for request: GPURequest) throws(PlatformError) -> [GPUDevice] {
        try choose(request, excluding: []).devices
    }

    /// Reserves devices for an instance; the same instance again gets its existing allocation.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` saying why no node fits, with
    ///   `details.reason` `capacity` (no node has that many such devices at all) or `busy`
    ///   (they are all in use, here or by another replica's instances);
    ///   ``ErrorCode/storeUnavailable`` when the claims cannot be read or written.
    public func allocate(instance: String, _ request: GPURequest) async throws(PlatformError) -> GPUAllocation {
        if let existing = allocations[instance] { return existing.allocation }
        var elsewhere: Set<String> = []
        for _ in 0..<4 {
            let choice = try choose(request, excluding: elsewhere)
            let allocation = GPUAllocation(instance: instance, node: choice.node, devices: choice.devices)
            guard !allocation.devices.isEmpty else { return allocation }
            // Reserved here before the claim's await, so a concurrent allocation chooses around it.
            allocations[instance] = (allocation, request.sharing)
            guard let claims else { return allocation }
            let taken: Set<String>
            do {
                taken = try await claims.claim(allocation, sharing: request.sharing)
            } catch {
                allocations[instance] = nil
                throw PlatformError(.storeUnavailable, "cannot claim GPU devices: \(error)")
            }
            if taken.isEmpty { return allocation }
            allocations[instance] = nil
            elsewhere.formUnion(taken)
        }
        throw PlatformError(.runtimePlacementUnsatisfiable, "the \(request.summary) that fit are held by other replicas' instances; retry when one stops",
                            details: ["reason": "busy"])
    }

    /// Re-reserves what a recovered instance holds.
    /// - Throws: ``ErrorCode/runtimePlacementUnsatisfiable`` when a device is unknown or held
    ///   in a way this holder cannot share.
    public func restore(_ allocation: GPUAllocation, sharing: GPUSharing = .exclusive) async throws(PlatformError) {
        let held = heldDevices(compatibleWith: sharing)
        for device in allocation.devices {
            guard nodes.contains(where: { $0.name == allocation.node && $0.devices.contains { $0.uuid == device.uuid } }) else {
                throw PlatformError(.runtimePlacementUnsatisfiable, "device \(device.uuid) of \(allocation.instance) is not on \(allocation.node) any more")
            }
            if held.contains(device.uuid), allocations[allocation.instance] == nil {
                throw PlatformError(.runtimePlacementUnsatisfiable, "device \(device.uuid) of \(allocation.instance) is held by another instance")
            }
        }
        allocations[allocation.instance] = (allocation, sharing)
        guard let claims, !allocation.devices.isEmpty else { return }
        let taken: Set<String>
        do { taken = try await claims.claim(allocation, sharing: sharing) } catch {
            throw PlatformError(.storeUnavailable, "cannot claim GPU devices: \(error)")
        }
        guard taken.isEmpty else {
            allocations[allocation.instance] = nil
            throw PlatformError(.runtimePlacementUnsatisfiable,
                                "devices \(taken.sorted().joined(separator: ", ")) of \(allocation.instance) are held by another replica's instance")
        }
    }

    /// Releases an instance's devices (and its claims); returns whether it held any here.
    @discardableResult
    public func release(instance: String) async -> Bool {
        let held = allocations.removeValue(forKey: instance) != nil
        try? await claims?.release(instance: instance)  // a terminal phase releases them in its own transaction too
        return held
    }

    /// Devices a request may not use: every held device for an exclusive or MIG request, only
    /// those held by non-shared holders for a shared request.
    private func heldDevices(compatibleWith sharing: GPUSharing) -> Set<String> {
        Set(allocations.values.filter { sharing != .shared || $0.sharing != .shared }.flatMap(\.allocation.devices).map(\.uuid))
    }

    /// Whether a device is of the kind the request asks for (whole GPU or slice of the profile).
    private static func offers(_ device: GPUDevice, on node: GPUNode, to request: GPURequest) -> Bool {
        guard request.model == nil || device.modelId == request.model, device.memoryMiB >= request.minMemoryMiB else { return false }
        switch request.sharing {
        case .mig:
            return device.isMIGSlice && device.migProfile == request.migProfile
        case .exclusive, .shared:
            // A GPU whose slices are listed is in MIG mode even when the flag was not declared.
            return !device.isMIGSlice && !device.migEnabled && !node.devices.contains { $0.parentUUID == device.uuid }
        }
    }

    private func choose(_ request: GPURequest, excluding elsewhere: Set<String>) throws(PlatformError) -> (node: String, devices: [GPUDevice]) {
        guard request.count > 0 else { return (nodes.first?.name ?? "", []) }
        if request.sharing == .mig, request.migProfile == nil {
            throw PlatformError(.runtimePlacementUnsatisfiable, "MIG sharing needs a migProfile", details: ["reason": "capacity"])
        }
        let busy = heldDevices(compatibleWith: request.sharing).union(elsewhere)
        var largestCapacity = 0
        for node in nodes {
            let matching = node.devices.filter { Self.offers($0, on: node, to: request) }
            largestCapacity = max(largestCapacity, matching.count)
            let free = matching.filter { !busy.contains($0.uuid) }
            if free.count >= request.count { return (node.name, Array(free.prefix(request.count))) }
        }
        let what = request.summary
        let unit = request.sharing == .mig ? "such slice" : "such device"
        if largestCapacity < request.count {
            throw PlatformError(.runtimePlacementUnsatisfiable,
                                "no node has \(what); the largest has \(largestCapacity) \(unit)\(largestCapacity == 1 ? "" : "s")",
                                details: ["reason": "capacity"])
        }
        throw PlatformError(.runtimePlacementUnsatisfiable, "every node with \(what) is in use; retry when an instance stops",
                            details: ["reason": "busy"])
    }
}
