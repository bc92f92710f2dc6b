import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// The OCI runtime-spec `config.json` for an instance: the shared unpacked image (through
/// the instance's bind mount of it, ``InstanceNetwork/rootfsPath``) as a read-only root with tmpfs `/tmp` and `/run`, the image's process merged with the
/// manifest's, the instance's own network namespace (``InstanceNetwork``: its endpoints
/// listen on the allocated ports there, reachable only from the host), a user namespace
/// mapping container uid 0 to the instance's unprivileged host range, the default seccomp
/// filter (``SeccompProfile``) and no new privileges, the assigned GPUs through the host's CDI
/// spec (``applyGPUs(_:to:)``) with `CUDA_VISIBLE_DEVICES`/`NVIDIA_VISIBLE_DEVICES`, and the memory and CPU limits from the
/// manifest.
///
/// The shared rootfs stays owned by the host's root: inside the user namespace its files
/// read as `nobody`, and the unpacker writes every file 0644/0755 and every folder 0755,
/// so the app reads and runs them as "other" (and cannot change them).
enum OCIRuntimeConfig {
    static let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]

    static func make(spec: LaunchSpec, image: RootfsUnpacker.ImageProcess, devices: [GPUDevice], network: InstanceNetwork) -> [String: Any] {
        var environment = image.environment(overriddenBy: spec.environment)
        let visible = devices.map(\.cudaName).joined(separator: ",")
        environment["CUDA_VISIBLE_DEVICES"] = visible
        environment["NVIDIA_VISIBLE_DEVICES"] = devices.isEmpty ? "void" : devices.map(\.uuid).joined(separator: ",")
        var mounts: [[String: Any]] = [
            ["destination": "/proc", "type": "proc", "source": "proc"],
            ["destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]],
            ["destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]],
            ["destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]],
            ["destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]],
            ["destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]],
            ["destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]],
        ]
        let deviceRules: [[String: Any]] = [["allow": false, "access": "rwm"]]
        // The GPUs' device nodes, cgroup rules, driver libraries and tools come from the host's
        // CDI spec, applied after this by `applyGPUs` (OCIRuntimeConfig+GPU.swift).
        mounts += LocalVolumes.ociMounts(spec, network: network)
        var resources: [String: Any] = ["devices": deviceRules]
        // Memory, CPU and disk (the /tmp and /run tmpfs sizes): OCIRuntimeConfig+Limits.swift.
        let cgroupsPath = applyLimits(spec: spec, resources: &resources, mounts: &mounts)
        let command = image.argv(for: spec)  // command (or the image's entrypoint) + args
        return [
            "ociVersion": "1.0.2",
            "process": [
                "terminal": false,
                "user": ["uid": 0, "gid": 0],
                "args": command,
                "env": environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                "cwd": image.workingDirectory,
                "capabilities": ["bounding": capabilities, "effective": capabilities, "permitted": capabilities],
                "rlimits": [["type": "RLIMIT_NOFILE", "hard": 4096, "soft": 4096]],
                "noNewPrivileges": true,
            ] as [String: Any],
            "root": ["path": network.rootfsPath, "readonly": true],
            "hostname": spec.app,
            "mounts": mounts,
            "linux": [
                "resources": resources,
                "cgroupsPath": cgroupsPath,
                "namespaces": [["type": "pid"], ["type": "ipc"], ["type": "uts"], ["type": "mount"], ["type": "user", "path": network.userNamespacePath],
                               ["type": "network", "path": network.namespacePath]],
                "uidMappings": [["containerID": 0, "hostID": network.hostUID, "size": InstanceNetwork.idsPerInstance]],
                "gidMappings": [["containerID": 0, "hostID": network.hostUID, "size": InstanceNetwork.idsPerInstance]],
                "seccomp": SeccompProfile.make(),
                "maskedPaths": ["/proc/kcore", "/proc/latency_stats", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                "readonlyPaths": ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            ] as [String: Any],
        ]
    }
}
