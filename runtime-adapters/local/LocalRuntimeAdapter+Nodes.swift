import Foundation
import PlatformContracts
import RuntimeKit

/// The local adapter's one node, this host: its GPUs and their holders from the platform's
/// inventory, its CPUs and memory from the operating system.
extension LocalRuntimeAdapter: RuntimeNodeInventory {
    public func nodeUsage() async throws -> [NodeUsage] {
        await inventory.nodeUsage(adapter: capabilities.name).map { node in
            var node = node
            node.cpus = ProcessInfo.processInfo.activeProcessorCount
            node.memoryMiB = Int64(ProcessInfo.processInfo.physicalMemory / 1_048_576)
            return node
        }
    }
}
