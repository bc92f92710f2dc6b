import PlatformContracts
import RuntimeKit

/// The twin's one node with its fake GPUs and their holders, as the local adapter lists its host.
extension InMemoryRuntimeAdapter: RuntimeNodeInventory {
    public func nodeUsage() async throws -> [NodeUsage] {
        await inventory.nodeUsage(adapter: capabilities.name)
    }
}
