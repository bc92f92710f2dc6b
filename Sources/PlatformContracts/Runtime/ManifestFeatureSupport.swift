/// How far the launch path carries one manifest feature, per adapter: the facts the
/// portal's manifest/launch/connect matrix is computed from. Kept next to the contracts
/// so the code that changes a feature's support changes this table in the same commit.
///
/// A row's level is what the code claims. The matrix shows a cell `validated` only when a
/// ``LaunchFeatureProof`` names a test that launched the feature on that adapter; a row that
/// claims `validated` without one shows as a gap that a smoke test closes.
public struct ManifestFeatureSupport: Sendable, Hashable {
    /// The three classes of the matrix.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        /// Expressible in the manifest, validated, and applied at launch (the matrix also
        /// wants a ``LaunchFeatureProof`` per adapter before it says so).
        case validated = "validated"
        /// Accepted, but served by platform-side or compatibility logic rather than as written.
        case backend = "backend"
        /// Validated but not applied yet.
        case gap = "gap"
    }

    /// The manifest path (`secrets`, `lifecycle.idleStopMinutes`); an app uses the feature
    /// when its manifest has this key.
    public var feature: String
    /// The class.
    public var level: Level
    /// Why, in one sentence.
    public var reason: String
    /// The adapters this row is about; `nil` for all.
    public var adapters: Set<String>?
    /// What closes a gap in this feature besides the code that applies it: the portal's
    /// "closes with" column, so a reader sees which gaps wait on an SDK example and which on
    /// a smoke test.
    public var closedBy: Set<GapClosure>
    /// The apps this row is about; `nil` for every app. An app's own row carries what only
    /// that app lacks (a GPU to build and check its image, a package source that is not
    /// reachable), so the matrix gives its honest reason without any app named in code.
    public var apps: Set<String>?
    /// Whether a proof of this feature counts only for the app it names
    /// (``LaunchFeatureProof/app``): an app's own artifact is launched only by a test of that
    /// app, so gpu-echo's launch cannot make JupyterLab `validated`.
    public var perApp: Bool

    /// Creates a row.
    /// - Parameter closedBy: Defaults to a smoke test (a launch test on each adapter, recorded
    ///   as a ``LaunchFeatureProof``); features a developer must set up through the API before
    ///   a launch can use them (secrets, volumes) also need an SDK example.
    public init(_ feature: String, _ level: Level, _ reason: String, adapters: Set<String>? = nil,
                closedBy: Set<GapClosure> = [.smokeTest], apps: Set<String>? = nil, perApp: Bool = false) {
        self.apps = apps
        self.perApp = perApp
        self.feature = feature
        self.level = level
        self.reason = reason
        self.adapters = adapters
        self.closedBy = closedBy
    }

    /// The row for `feature` on `adapter`: the first that names the adapter, else the general one.
    /// With `app`, a row naming that app (and the adapter, or every adapter) comes first; without
    /// it, rows about particular apps are skipped.
    public static func lookup(_ feature: String, adapter: String, app: String? = nil,
                              in rows: [ManifestFeatureSupport] = declared) -> ManifestFeatureSupport? {
        let general = rows.filter { $0.feature == feature && $0.apps == nil }
        let own = app.map { app in rows.filter { $0.feature == feature && $0.apps?.contains(app) == true } } ?? []
        for candidates in [own, general] {
            if let row = candidates.first(where: { $0.adapters?.contains(adapter) == true }) ?? candidates.first(where: { $0.adapters == nil }) {
                return row
            }
        }
        return nil
    }

    /// What the platform does today with each feature.
    public static let declared: [ManifestFeatureSupport] = [
        .init("command", .validated, "substituted (params, ports, instance id) and run as the process"),
        .init("args", .validated, "substituted and appended to the command (without one, to the image's entrypoint, replacing its Cmd)"),
        .init("env", .validated, "substituted and set in the process environment"),
        .init("params", .validated, "declared, typed and substituted; unknown or mistyped values are refused at launch"),
        .init("secrets", .validated,
              "revealed (audited) just before each start, never stored; files 0400 on the instance's own host tmpfs, bound read-only at /run/secrets; variables only with env: true",
              adapters: ["local"], closedBy: [.sdkExample, .smokeTest]),
        .init("secrets", .validated,
              "staged 0600 in the job folder until the job script opens them on descriptors and removes them; bwrap copies them onto a tmpfs at /run/secrets (0400, read-only) and sets env: true ones through --args, never on a command line",
              adapters: ["slurm"], closedBy: [.sdkExample, .smokeTest]),
        .init("secrets", .gap, "this adapter delivers no secrets", closedBy: [.sdkExample, .smokeTest]),
        .init("volumes", .validated,
              "persistent: the project volume of that name (provisioned at launch when absent, counted against quota.volume_bytes), a loop-mounted ext4 image of its size given to the instance's user range; scratch: a tmpfs of sizeMiB; readOnly honoured",
              adapters: ["local"], closedBy: [.sdkExample, .smokeTest]),
        .init("volumes", .validated,
              "persistent: a folder on the adapter's shared root bound into the bwrap sandbox (its size is counted against the quota, not enforced by the file system); scratch: a bwrap tmpfs of sizeMiB; readOnly honoured",
              adapters: ["slurm"], closedBy: [.sdkExample, .smokeTest]),
        .init("volumes", .gap, "this adapter keeps no volumes", closedBy: [.sdkExample, .smokeTest]),
        .init("resources.gpu", .validated,
              "placed on the GPU inventory (sharing exclusive, shared or mig) and given through the host's CDI spec: device nodes with exact cgroup rules, driver libraries and tools read-only, CUDA_VISIBLE_DEVICES",
              adapters: ["local"]),
        .init("resources.gpu", .validated,
              "requested as --gres=gpu:TYPE:N (exclusive only); Slurm sets CUDA_VISIBLE_DEVICES and the job binds those GPUs' CDI edits into bwrap",
              adapters: ["slurm"]),
        .init("resources.gpu.migProfile", .validated, "sharing mig: a free MIG slice of the profile (nvidia-smi -L), named by its UUID, with its GPU's node and MIG capability",
              adapters: ["local"]),
        .init("resources.gpu.migProfile", .gap,
              "requested as --gres=gpu:PROFILE:N (gres.conf must type MIG slices by profile); the test cluster has no MIG gres, so no test launched one",
              adapters: ["slurm"]),
        .init("resources.cpuMillicores", .validated,
              "a CFS quota of millicores × 100 µs per 100 ms on the container's cgroup (v1 cpu.cfs_quota_us, v2 cpu.max)", adapters: ["local"]),
        .init("resources.cpuMillicores", .validated,
              "sbatch --cpus-per-task (whole cores, rounded up), pinned by task/cgroup ConstrainCores where the cluster runs it", adapters: ["slurm"]),
        .init("resources.cpuMillicores", .gap, "not applied by this adapter"),
        .init("resources.memoryMiB", .validated,
              "the container's memory limit (v1 memory.limit_in_bytes, v2 memory.max; swap held to it); an OOM kill ends the instance failed(oom)",
              adapters: ["local"]),
        .init("resources.memoryMiB", .validated,
              "sbatch --mem, a hard limit under task/cgroup ConstrainRAMSpace; OUT_OF_MEMORY ends the instance failed(oom)", adapters: ["slurm"]),
        .init("resources.memoryMiB", .gap, "not applied by this adapter"),
        .init("resources.diskMiB", .validated, "the writable /tmp is a tmpfs of diskMiB (/run at most 16 MiB of it); writing past it fails with ENOSPC",
              adapters: ["local"]),
        .init("resources.diskMiB", .validated,
              "sbatch --tmp places the job on a node with that much TmpDisk; the sandbox's /tmp is a bwrap tmpfs of diskMiB (ENOSPC past it)",
              adapters: ["slurm"]),
        .init("resources.diskMiB", .gap, "validated, not enforced by this adapter"),
        .init("resources.nodes", .validated,
              "sbatch --nodes=N and one srun task per node, each in its own bwrap sandbox with SLURM_NODEID, SLURM_NNODES and SLURM_JOB_NODELIST",
              adapters: ["slurm"]),
        .init("resources.nodes", .gap, "this adapter runs an instance on one host; more than one node is refused (runtime.spec_invalid)"),
        .init("endpoints", .validated, "a host port per endpoint, given as PORT_NAME and substituted as ${ports.NAME}"),
        .init("health.readiness", .validated, "HTTP probe until ready, within evidence.readyWithinMinutes"),
        .init("health.startup", .validated,
              "HTTP or TCP probe every periodSeconds; readiness waits until it passes; failureThreshold failures restart it (restartPolicy) or fail it health-timeout"),
        .init("connect", .validated, "web, api and port-forward through the platform's proxy and tunnels; ssh with session certificates; pathPrefix: keep passes /i/{id}/{action}/… whole to apps with a base URL"),
        .init("lifecycle.idleStopMinutes", .validated, "connect traffic is the activity; stopped after that long without it"),
        .init("lifecycle.maxRuntimeMinutes", .validated, "sbatch --time", adapters: ["slurm"]),
        .init("lifecycle.maxRuntimeMinutes", .validated, "the supervisor stops it at the limit (restarts included); it ends failed(timeout)", adapters: ["local"]),
        .init("lifecycle.restartPolicy", .validated,
              "restarted with backoff doubling from 1 s to lifecycle.restart_backoff_max_seconds; past lifecycle.crash_loop_restarts it ends failed(crash-loop)"),
        .init("runtime.overrides", .validated, "partition and other sbatch settings", adapters: ["slurm"]),
        .init("runtime.overrides", .backend, "ignored by this adapter", adapters: ["local"]),
        .init("billing.usageUnit", .validated,
              "a runtime unit is the run time's unit, a consumption unit (inference.token) bills no run time; GPU time is always gpu-hour.<model>"),
        .init("access", .validated, "launch and connect scopes are checked on every launch and connect"),
        .init("evidence.readyWithinMinutes", .validated, "the readiness deadline; an instance not ready by then fails with health-timeout"),
        .init("artifact", .validated,
              "the app's own published image, resolved by digest and held to requiredTrust, is what runs; only a test that launched this app counts",
              perApp: true),
        .init("artifact", .gap,
              "vLLM needs an NVIDIA GPU: its image is built and launch-checked only on a GPU machine, and none was lent when this was written",
              apps: ["vllm-inference"]),
        .init("artifact", .gap,
              "code-server's package source (Microsoft's download server, Open VSX) is not reachable from the machines that build images, so no image is built",
              apps: ["vscode-server"]),
    ]
}
