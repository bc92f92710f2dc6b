import Foundation
import PlatformContracts
import RuntimeKit

/// The manifest's resource limits in the OCI config, and how the shim tells an out-of-memory
/// kill from any other `SIGKILL`.
///
/// - Memory (`resources.memoryMiB`): `linux.resources.memory.limit`, with swap held to the
///   same figure so the limit cannot be dodged by swapping. runc writes it to
///   `memory.limit_in_bytes` (cgroup v1) or `memory.max` (cgroup v2).
/// - CPU (`resources.cpuMillicores`): a CFS quota of `millicores × 100` µs per 100 ms period
///   (`cpu.cfs_quota_us`/`cpu.cfs_period_us` on v1, `cpu.max` on v2): throttling, not pinning.
/// - Disk (`resources.diskMiB`): the instance's only writable space is its tmpfs `/tmp` (the
///   root is read-only); it gets `size=diskMiB`, so writing past it fails with `ENOSPC`. `/run`
///   (pid files, sockets; secrets are a separate mount over it) gets at most 16 MiB of it.
///   tmpfs pages are memory: they count against the memory limit as well.
///
/// The container's cgroup is named (`/platform/<container>` under each hierarchy) rather than
/// left to runc's default, which is relative to wherever `platformd` itself runs: the shim
/// reads the kill counter there after the container exits (``oomMarker``).
extension OCIRuntimeConfig {
    /// The parent of every instance's cgroup.
    static let cgroupParent = "platform"

    /// The largest `/run` an instance with a disk limit gets, in MiB.
    static let runMiB = 16

    /// Applies `spec`'s memory, CPU and disk limits to a config's resources and mounts.
    /// - Returns: the container's cgroup path (`linux.cgroupsPath`).
    static func applyLimits(spec: LaunchSpec, resources: inout [String: Any], mounts: inout [[String: Any]]) -> String {
        if let memory = spec.memoryMiB {
            let bytes = Int64(memory) * 1_048_576
            resources["memory"] = ["limit": bytes, "swap": bytes]
        }
        if let millicores = spec.cpuMillicores {
            resources["cpu"] = ["quota": Int64(millicores) * 100, "period": 100_000]
        }
        if let disk = spec.diskMiB, disk > 0 {
            for index in mounts.indices {
                guard mounts[index]["type"] as? String == "tmpfs", var options = mounts[index]["options"] as? [String] else { continue }
                switch mounts[index]["destination"] as? String {
                case "/tmp": options.append("size=\(disk)m")
                case "/run": options.append("size=\(min(disk, runMiB))m")
                default: continue
                }
                mounts[index]["options"] = options
            }
        }
        return "/\(cgroupParent)/\(InstanceFolder(root: URL(fileURLWithPath: "/"), instanceId: spec.instanceId).containerId)"
    }

    /// The shell lines the shim runs after `runc run --keep` returned (status in `$status`,
    /// folder in `$1`, container id in `$4`): when the container's memory cgroup counted an
    /// OOM kill (`oom_kill` in v1's `memory.oom_control` or v2's `memory.events`; on kernels
    /// without that counter, a 137 exit with `memory.failcnt` above zero), it writes
    /// ``InstanceFolder/oomMarker`` before the exit file, then deletes the kept container.
    static func oomCheck() -> String {
        """
        for events in /sys/fs/cgroup/memory/\(cgroupParent)/"$4"/memory.oom_control /sys/fs/cgroup/\(cgroupParent)/"$4"/memory.events; do
          grep -qs '^oom_kill [1-9]' "$events" && echo oom > "$1/oom"
        done
        [ "$status" = 137 ] && ! grep -qs '^oom_kill ' /sys/fs/cgroup/memory/\(cgroupParent)/"$4"/memory.oom_control \\
          && grep -qs '^[1-9]' /sys/fs/cgroup/memory/\(cgroupParent)/"$4"/memory.failcnt && echo oom > "$1/oom"
        "$2" --root "$3" delete --force "$4" >/dev/null 2>&1
        """
    }
}

extension InstanceFolder {
    /// Written by the shim when the kernel killed the container for exceeding its memory limit.
    var oomMarker: URL { url.appendingPathComponent("oom") }

    /// What the shim's records say about an ended instance: an OOM kill is a typed failure,
    /// not just exit status 137.
    func endState(code: Int32) -> RuntimeState {
        if FileManager.default.fileExists(atPath: oomMarker.path) {
            return .failed(.oom, message: "the kernel killed the instance for exceeding its memory limit (exit \(code))")
        }
        return .exited(code: code)
    }
}
