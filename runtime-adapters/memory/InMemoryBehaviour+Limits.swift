import PlatformContracts
import RuntimeKit

extension InMemoryBehaviour {
    /// What the workload does once the spec's limits hold it, as a cgroup and a sized tmpfs
    /// would: a workload that uses more memory than `resources.memoryMiB` ends failed(oom)
    /// when it reaches it; one that writes more than `resources.diskMiB` to its scratch disk
    /// gets `ENOSPC`, prints it and exits 1. Without a limit (or within it) nothing changes.
    func limited(by spec: LaunchSpec) -> InMemoryBehaviour {
        var limited = self
        let after = exit?.after ?? .zero
        if let use = diskUseMiB, let limit = spec.diskMiB, use > limit {
            limited.output = "enospc: dd: error writing '/tmp/fill': No space left on device\n"
            limited.exit = Exit(code: 1, after: after)
        }
        if let use = memoryUseMiB, let limit = spec.memoryMiB, use > limit {
            limited.exit = nil
            limited.failure = Failure(.oom, message: "the workload used \(use) MiB of its \(limit) MiB memory limit", after: after)
        }
        return limited
    }
}
