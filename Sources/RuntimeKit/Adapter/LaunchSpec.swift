import PlatformContracts

/// Everything an adapter needs to run one instance, resolved by the platform: parameters
/// substituted, ports allocated, image pinned by digest.
public struct LaunchSpec: Sendable, Codable, Hashable {
    /// How the instance runs: the platform's ``InstanceMode`` (one type from the manifest to
    /// the adapter, so records and specs cannot disagree on the spelling).
    public typealias Mode = InstanceMode

    /// The OCI image, pinned by manifest digest in the platform's content store.
    public struct Image: Sendable, Codable, Hashable {
        /// `project/name` in the built-in registry.
        public var repository: String
        /// The image manifest's digest.
        public var manifestDigest: ContentDigest

        /// Creates an image reference.
        public init(repository: String, manifestDigest: ContentDigest) {
            self.repository = repository
            self.manifestDigest = manifestDigest
        }
    }

    /// The instance.
    public var instanceId: String
    /// Its project.
    public var project: String
    /// The app's name.
    public var app: String
    /// The app's version.
    public var version: String
    /// The mode.
    public var mode: Mode
    /// The image.
    public var image: Image
    /// argv, substituted.
    public var command: [String]
    /// Environment, substituted (the platform adds `PLATFORM_INSTANCE_ID` and `PORT_<ENDPOINT>`).
    public var environment: [String: String]
    /// Host port per endpoint name.
    public var ports: [String: Int]
    /// GPUs asked for.
    public var gpus: GPURequest
    /// Whether devices may be shared with other instances (`sharing: shared` in the manifest).
    public var gpuSharing: Bool
    /// CPU in millicores, when the manifest says.
    public var cpuMillicores: Int?
    /// Memory in MiB, when the manifest says.
    public var memoryMiB: Int?
    /// Wall-clock limit in minutes (`lifecycle.maxRuntimeMinutes`).
    public var timeLimitMinutes: Int?
    /// Adapter-specific settings from `runtime.overrides.<adapter>` (`partition`).
    public var overrides: [String: String]
    /// Stop after this many minutes without connect activity (`lifecycle.idleStopMinutes`; absent or 0: never).
    public var idleStopMinutes: Int?

    /// Creates a spec.
    public init(instanceId: String, project: String, app: String, version: String, mode: Mode, image: Image,
                command: [String], environment: [String: String] = [:], ports: [String: Int] = [:],
                gpus: GPURequest = GPURequest(model: nil, count: 0), gpuSharing: Bool = false,
                cpuMillicores: Int? = nil, memoryMiB: Int? = nil, timeLimitMinutes: Int? = nil, overrides: [String: String] = [:],
                idleStopMinutes: Int? = nil) {
        self.instanceId = instanceId
        self.project = project
        self.app = app
        self.version = version
        self.mode = mode
        self.image = image
        self.command = command
        self.environment = environment
        self.ports = ports
        self.gpus = gpus
        self.gpuSharing = gpuSharing
        self.cpuMillicores = cpuMillicores
        self.memoryMiB = memoryMiB
        self.timeLimitMinutes = timeLimitMinutes
        self.overrides = overrides
        self.idleStopMinutes = idleStopMinutes
    }
}
