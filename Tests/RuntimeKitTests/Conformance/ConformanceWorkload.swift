import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// What a conformance check asks a workload to do, neutral of any runtime: each adapter's
/// fixture turns it into its own launch (a shell script in the test image for `local` and
/// `slurm`, an ``InMemoryBehaviour`` for the twin).
enum ConformanceWorkload: Sendable, Hashable {
    /// Prints `hello-<instance id>` and exits with `code`.
    case greetAndExit(code: Int32)
    /// Prints the test image's `/etc/greeting` (from its second layer) and `whiteout-applied`
    /// when `/removed` (whited out by that layer) is absent; exits 0.
    case showImage
    /// Prints `gpus=<CUDA_VISIBLE_DEVICES>` and exits 0.
    case printGPUs
    /// Prints `serving` and runs until stopped; on TERM prints `got-term` and exits 0.
    case serveUntilStopped
    /// Prints `args=<first>|<second>`: the first two arguments it got after its command (the
    /// spec's `args`), then exits 0.
    case printArgs
    /// Writes `text` to `path` and prints `wrote <path>`, or `refused <path>` when the write fails.
    case volumeWrite(path: String, text: String)
    /// Prints `read <path>: <contents>`, or `missing <path>`.
    case volumeRead(path: String)
    /// Writes `mib` MiB of zeros to `path`; prints `fits <path>`, or `enospc <path>` when the
    /// file system is full (any other failure prints `failed <path>`).
    case volumeFill(path: String, mib: Int)
    /// Prints what it sees of its secrets `SECRET_FILE` (file only) and `SECRET_ENV` (also a
    /// variable): `file=<content> mode=<ls -l mode>`, `fs=<type of /run/secrets>`,
    /// `env=<$SECRET_ENV> fileonly=<$SECRET_FILE>` and `read-only` (or `writable`); exits 0.
    case showSecrets
    /// Prints the limits its cgroup holds it to: `memory=<bytes>` (v1 `hierarchical_memory_limit`,
    /// v2 `memory.max`), `cpu=<quota>/<period>` (`max/…` when unlimited) and `cpus=<cpuset>`; exits 0.
    case printLimits
    /// Holds `mib` MiB in memory (busybox `tail` buffering a line of zeros), then prints `survived`.
    case hogMemory(mib: Int)
    /// Writes `mib` MiB to `/tmp/fill`: prints `fits` and exits 0, or `enospc: <dd's error>` and exits 1.
    case fillScratch(mib: Int)
    /// Prints `node=<SLURM_NODEID> of <SLURM_NNODES> on <SLURM_JOB_NODELIST>` and exits 0.
    case printNode
}

/// The adapters the suite runs against.
enum AdapterKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// The in-memory twin (no process at all).
    case memory
    /// runc on this host (needs root, runc, ip, iptables).
    case local
    /// A real slurmctld + slurmd started for the suite.
    case slurm

    var testDescription: String { rawValue }

    /// The adapters that run a real image (the image-layer check only means something there).
    static let imageRunners: [AdapterKind] = [.local, .slurm]
}

/// One adapter under test, with what the checks need to know about its runtime.
struct AdapterFixture: Sendable {
    let kind: AdapterKind
    /// Makes a fresh adapter over the same runtime state (a restarted server).
    let makeAdapter: @Sendable () -> any RuntimeAdapter
    /// The adapter the checks use.
    let adapter: any RuntimeAdapter
    /// The image every spec names.
    let image: LaunchSpec.Image
    /// How this runtime runs a workload: the command and environment of its spec.
    let launch: @Sendable (ConformanceWorkload) -> (command: [String], environment: [String: String])
    /// A snapshot of the runtime's state that `plan` must leave unchanged (instance folders, workload records).
    let sideEffects: @Sendable () -> [String]
    /// The GPU request the GPU check makes, and the `CUDA_VISIBLE_DEVICES` values it accepts.
    let gpuCase: (request: GPURequest, expected: Set<String>)
    /// A GPU request no node of this runtime can ever take.
    let tooManyGPUs: GPURequest
    /// The server-side GPU reservations, when the adapter keeps them (local, the twin).
    let inventory: GPUInventory?

    func spec(_ id: String, mode: LaunchSpec.Mode = .job, _ workload: ConformanceWorkload,
              gpus: GPURequest = GPURequest(model: nil, count: 0)) -> LaunchSpec {
        let launched = launch(workload)
        return LaunchSpec(instanceId: id, project: "p1", app: "conformance", version: "1.0.0", mode: mode, image: image,
                          command: launched.command, environment: launched.environment.merging(["PLATFORM_INSTANCE_ID": id]) { $1 },
                          gpus: gpus)
    }

    /// The shell form of a workload, for adapters that run the busybox test image.
    static func shell(_ workload: ConformanceWorkload) -> (command: [String], environment: [String: String]) {
        let script = switch workload {
        case .greetAndExit(let code): "echo hello-$PLATFORM_INSTANCE_ID; exit \(code)"
        case .showImage: "cat /etc/greeting; ls /removed 2>/dev/null || echo whiteout-applied"
        case .printGPUs: "echo gpus=$CUDA_VISIBLE_DEVICES"
        // pid 1 of a namespace ignores a TERM it has no handler for: the trap is set before "serving".
        case .serveUntilStopped: "trap 'echo got-term; exit 0' TERM; echo serving; while true; do sleep 0.2; done"
        case .printArgs: #"echo "args=$1|$2""#
        case .volumeWrite(let path, let text):
            "if printf '%s' '\(text)' > '\(path)' 2>/dev/null; then echo 'wrote \(path)'; else echo 'refused \(path)'; fi"
        case .volumeRead(let path): "if [ -f '\(path)' ]; then printf 'read %s: ' '\(path)'; cat '\(path)'; echo; else echo 'missing \(path)'; fi"
        case .volumeFill(let path, let mib):
            "if dd if=/dev/zero of='\(path)' bs=1048576 count=\(mib) 2>/tmp/dd.err; then echo 'fits \(path)'; "
                + "elif grep -q 'No space left' /tmp/dd.err; then echo 'enospc \(path)'; else echo 'failed \(path)'; cat /tmp/dd.err; fi"
        case .showSecrets:
            #"set -- $(ls -l /run/secrets/SECRET_FILE); echo "file=$(cat /run/secrets/SECRET_FILE) mode=$1"; "#
                + #"while read -r dev mnt fs rest; do [ "$mnt" = /run/secrets ] && { echo "fs=$fs"; break; }; done < /proc/mounts; "#
                + #"echo "env=$SECRET_ENV fileonly=$SECRET_FILE"; "#
                + #"if (echo x > /run/secrets/SECRET_FILE) 2>/dev/null; then echo writable; else echo read-only; fi"#
        case .printLimits:
            #"if m=$(grep ':memory:' /proc/self/cgroup | cut -d: -f3) && [ -n "$m" ]; then "#
                + #"echo "memory=$(sed -n 's/^hierarchical_memory_limit //p' /sys/fs/cgroup/memory$m/memory.stat)"; "#
                + #"c=$(grep -E ':cpu(,cpuacct)?:' /proc/self/cgroup | head -n1 | cut -d: -f2,3); d=/sys/fs/cgroup/${c%%:*}${c#*:}; "#
                + #"echo "cpu=$(cat $d/cpu.cfs_quota_us)/$(cat $d/cpu.cfs_period_us)"; "#
                + #"s=$(grep ':cpuset:' /proc/self/cgroup | cut -d: -f3); echo "cpus=$(cat /sys/fs/cgroup/cpuset$s/cpuset.cpus)"; "#
                + #"else u=$(sed -n 's/^0:://p' /proc/self/cgroup); echo "memory=$(cat /sys/fs/cgroup$u/memory.max)"; "#
                + #"echo "cpu=$(tr ' ' / < /sys/fs/cgroup$u/cpu.max)"; echo "cpus=$(cat /sys/fs/cgroup$u/cpuset.cpus.effective)"; fi"#
        case .hogMemory(let mib): "head -c \(mib)m /dev/zero | tail > /dev/null; echo survived"
        case .fillScratch(let mib):
            #"if err=$(dd if=/dev/zero of=/tmp/fill bs=1048576 count="# + String(mib) + #" 2>&1); then echo fits; else echo "enospc: $err"; exit 1; fi"#
        case .printNode: #"echo "node=$SLURM_NODEID of $SLURM_NNODES on $SLURM_JOB_NODELIST""#
        }
        // `sh -c SCRIPT NAME ARGS…`: the spec's args become $1, $2.
        if workload == .printArgs { return (["/bin/sh", "-c", script, "sh"], [:]) }
        return (["/bin/sh", "-c", script], [:])
    }

    /// Lists a folder (what `plan` must not change for adapters that keep instance folders).
    static func listing(_ root: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    }
}
