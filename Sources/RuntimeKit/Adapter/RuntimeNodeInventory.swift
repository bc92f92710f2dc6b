import PlatformContracts

/// An adapter that can list the nodes it places instances on, with their state, GPUs and
/// what is allocated: what `/v1/nodes` shows for every adapter, not only the server's host.
///
/// ``RuntimeAdapter/plan(_:)`` of such an adapter must agree with what this reports: a node
/// whose ``NodeState/acceptsInstances`` is false (drained, draining, down) takes no new instance.
public protocol RuntimeNodeInventory: Sendable {
    /// Every node of the adapter, asked of the runtime now (no cache): an operator who just
    /// drained a node expects to see it drained.
    /// - Throws: ``ErrorCode/runtimeAdapterUnavailable`` when the runtime does not answer.
    func nodeUsage() async throws -> [NodeUsage]
}

extension GPUInventory {
    /// The inventory's nodes as nodes of `adapter`, each idle, mixed or allocated by how
    /// many of its devices are held (the platform places them itself, so it never drains).
    public func nodeUsage(adapter: String) -> [NodeUsage] {
        snapshot().map { NodeUsage(node: $0.node, adapter: adapter, devices: $0.devices) }
    }
}
