/// A test that launched one manifest feature on one adapter and asserted its effect inside
/// the running instance: what a `validated` cell of the portal's manifest/launch/connect
/// matrix rests on. A feature is `validated` on an adapter only when a proof names it; the
/// tests check every proof (its test exists, is an integration test of that adapter, and
/// names the feature), so the table cannot claim what no test does.
public struct LaunchFeatureProof: Sendable, Hashable {
    /// The manifest path (`secrets`, `lifecycle.restartPolicy`), as in ``ManifestFeatureSupport``.
    public var feature: String
    /// The adapter the test launched on (`local`, `slurm`).
    public var adapter: String
    /// `SuiteName/testFunctionName` of the test.
    public var test: String
    /// The app the test launched, for a feature proven per app (``ManifestFeatureSupport/perApp``:
    /// `artifact`, the app's own image); `nil` when the proof holds for every app.
    public var app: String?

    /// Creates a proof.
    public init(_ feature: String, on adapter: String, test: String, app: String? = nil) {
        self.app = app
        self.feature = feature
        self.adapter = adapter
        self.test = test
    }

    /// Every proof the test suite carries. Add a line in the commit that adds the test.
    public static let recorded: [LaunchFeatureProof] = [
        // gpu-echo published, launched through platformd on runc and on Slurm+bwrap: its command
        // serves its endpoints, the readiness probe gates ready, CUDA_VISIBLE_DEVICES holds the
        // placed GPUs, the Slurm instance is reached through the connect proxy, GPU time metered.
        LaunchFeatureProof("command", on: "local", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("command", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("endpoints", on: "local", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("endpoints", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("health.readiness", on: "local", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("health.readiness", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("resources.gpu", on: "local", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("resources.gpu", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("billing.usageUnit", on: "local", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("billing.usageUnit", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("connect", on: "slurm", test: "InstanceProcessTests/referenceApp"),
        LaunchFeatureProof("artifact", on: "local", test: "InstanceProcessTests/referenceApp", app: "gpu-echo"),
        LaunchFeatureProof("artifact", on: "slurm", test: "InstanceProcessTests/referenceApp", app: "gpu-echo"),
        // web, WebSocket, TCP and ssh connect actions on a runc instance.
        LaunchFeatureProof("connect", on: "local", test: "ConnectProcessTests/connect"),
        // connect[].pathPrefix: keep: the app gets /i/{id}/{action}/… over HTTP and WebSocket.
        LaunchFeatureProof("connect", on: "local", test: "ConnectPathPrefixProcessTests/pathPrefix"),
        // The adapters alone: the placed GPUs reach the process and are free after release.
        LaunchFeatureProof("resources.gpu", on: "local", test: "AdapterConformanceTests/gpusReachTheProcess"),
        LaunchFeatureProof("resources.gpu", on: "slurm", test: "AdapterConformanceTests/gpusReachTheProcess"),
        // Through platformd on each adapter: a parameter reaches the process, a key without the
        // manifest's launch scope is refused, a readiness deadline missed ends failed(health-timeout).
        LaunchFeatureProof("params", on: "local", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("params", on: "slurm", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("access", on: "local", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("access", on: "slurm", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("evidence.readyWithinMinutes", on: "local", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("evidence.readyWithinMinutes", on: "slurm", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        // The host's CDI spec (a fake driver tree) reaches the process: its own device nodes only,
        // the driver library and nvidia-smi; a MIG slice of the asked profile on local.
        LaunchFeatureProof("resources.gpu", on: "local", test: "AdapterConformanceTests/cdiReachesTheProcess"),
        LaunchFeatureProof("resources.gpu", on: "slurm", test: "AdapterConformanceTests/cdiReachesTheProcess"),
        LaunchFeatureProof("resources.gpu.migProfile", on: "local", test: "AdapterConformanceTests/migSliceReachesTheProcess"),
        // Limits: the instance reads its own cgroup limits; an over-limit workload ends failed(oom);
        // writing past diskMiB fails with ENOSPC; a two-node Slurm job runs a sandbox on each node.
        LaunchFeatureProof("resources.cpuMillicores", on: "local", test: "AdapterConformanceTests/cpuAndMemoryLimitsReachTheCgroup"),
        LaunchFeatureProof("resources.cpuMillicores", on: "slurm", test: "AdapterConformanceTests/cpuAndMemoryLimitsReachTheCgroup"),
        LaunchFeatureProof("resources.memoryMiB", on: "local", test: "AdapterConformanceTests/cpuAndMemoryLimitsReachTheCgroup"),
        LaunchFeatureProof("resources.memoryMiB", on: "slurm", test: "AdapterConformanceTests/cpuAndMemoryLimitsReachTheCgroup"),
        LaunchFeatureProof("resources.diskMiB", on: "local", test: "AdapterConformanceTests/diskMiBLimitsScratchSpace"),
        LaunchFeatureProof("resources.diskMiB", on: "slurm", test: "AdapterConformanceTests/diskMiBLimitsScratchSpace"),
        LaunchFeatureProof("resources.nodes", on: "slurm", test: "SlurmMultiNodeTests/twoNodeLaunch"),
        // Secrets: files on a tmpfs (0400, read-only) and env only where asked, read inside the instance.
        LaunchFeatureProof("secrets", on: "local", test: "AdapterConformanceTests/secretsReachTheProcess"),
        LaunchFeatureProof("secrets", on: "slurm", test: "AdapterConformanceTests/secretsReachTheProcess"),
        // Volumes: a persistent volume written by one instance is read (and appended to) by the
        // next, scratch is size-limited, through platformd on runc with its isolation; on Slurm
        // the adapter's persistent volume outlives its job and scratch and readOnly hold.
        LaunchFeatureProof("volumes", on: "local", test: "VolumeProcessTests/volumeSurvivesRestart"),
        LaunchFeatureProof("volumes", on: "slurm", test: "AdapterConformanceTests/persistentVolumeOutlivesItsInstance"),
        // Lifecycle through platformd on each adapter: a crash-looping app restarts on failure with backoff
        // until lifecycle.crash_loop_restarts ends it failed(crash-loop); maxRuntimeMinutes ends one failed(timeout).
        LaunchFeatureProof("lifecycle.restartPolicy", on: "local", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("lifecycle.restartPolicy", on: "slurm", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("lifecycle.maxRuntimeMinutes", on: "local", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        LaunchFeatureProof("lifecycle.maxRuntimeMinutes", on: "slurm", test: "LaunchFeatureProcessTests/platformFeaturesOnEachAdapter"),
        // args: after the command, words intact, in the real process.
        LaunchFeatureProof("args", on: "local", test: "AdapterConformanceTests/argsFollowTheCommand"),
        LaunchFeatureProof("args", on: "slurm", test: "AdapterConformanceTests/argsFollowTheCommand"),
        // env: the spec's environment reaches the process on each adapter, values intact.
        LaunchFeatureProof("env", on: "local", test: "AdapterConformanceTests/envReachesTheProcess"),
        LaunchFeatureProof("env", on: "slurm", test: "AdapterConformanceTests/envReachesTheProcess"),
        // Idle stop through platformd: an app nobody connects to is stopped after its minute, the field named.
        LaunchFeatureProof("lifecycle.idleStopMinutes", on: "local", test: "IdleStopProcessTests/idleAppIsStopped"),
        LaunchFeatureProof("lifecycle.idleStopMinutes", on: "slurm", test: "IdleStopProcessTests/idleAppIsStopped"),
        // Startup probes through platformd: passing, the app goes on to ready; never passing, it fails, never ready.
        LaunchFeatureProof("health.startup", on: "local", test: "StartupProbeProcessTests/startupGatesReadiness"),
        LaunchFeatureProof("health.startup", on: "slurm", test: "StartupProbeProcessTests/startupGatesReadiness"),
        // JupyterLab from its committed manifest on runc: the image from real packages, its token a
        // secret:/// project secret (Jupyter refuses without it), readiness on /api under the kept prefix, the
        // notebook in the persistent `home` volume found again by a fresh instance, the web action's
        // REST calls and kernel WebSocket through the proxy.
        LaunchFeatureProof("artifact", on: "local", test: "JupyterLabContractTests/kernelRoundTripAndNotebookSurvivesRelaunch", app: "jupyter-lab"),
        LaunchFeatureProof("secrets", on: "local", test: "JupyterLabContractTests/kernelRoundTripAndNotebookSurvivesRelaunch"),
        LaunchFeatureProof("volumes", on: "local", test: "JupyterLabContractTests/kernelRoundTripAndNotebookSurvivesRelaunch"),
        LaunchFeatureProof("connect", on: "local", test: "JupyterLabContractTests/kernelRoundTripAndNotebookSurvivesRelaunch"),
        // finetune-job and TensorBoard from their committed manifests on Slurm through platformd: the
        // images from PyPI wheels; the job's params on its command line, its persistent `runs` volume
        // carrying a checkpoint from a stopped launch to the next (resumed from it) and the events to a
        // TensorBoard reading it, app-runtime-hour metered, TensorBoard's readiness and its REST API
        // through the web connect action.
        LaunchFeatureProof("artifact", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt", app: "finetune-job"),
        LaunchFeatureProof("artifact", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt", app: "tensorboard"),
        LaunchFeatureProof("params", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt"),
        LaunchFeatureProof("volumes", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt"),
        LaunchFeatureProof("billing.usageUnit", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt"),
        LaunchFeatureProof("health.readiness", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt"),
        LaunchFeatureProof("connect", on: "slurm", test: "TrainingContractTests/jobResumesAndTensorBoardShowsIt"),
    ]
}
