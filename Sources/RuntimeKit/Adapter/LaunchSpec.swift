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
    /// GPUs asked for, with how they are held (``GPURequest/sharing``, ``GPURequest/migProfile``).
    public var gpus: GPURequest
    /// How the GPUs are held (`resources.gpu.sharing`): exclusive, shared or MIG slices; kept
    /// in ``gpus`` so placement reads one value.
    public var gpuSharing: GPUSharing {
        get { gpus.sharing }
        set { gpus.sharing = newValue }
    }
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
    /// Arguments appended to the command (`args`, substituted): after `command` when the
    /// manifest has one, else after the image's entrypoint (the image's own `Cmd` is dropped),
    /// as Kubernetes reads `command`/`args`.
    public var args: [String]
    /// The secrets the instance gets (`secrets`): which, and whether also as environment variables.
    public var secrets: [SecretDelivery]
    /// The secrets' plaintext, resolved by the platform just before `start` and never encoded:
    /// a persisted spec (the instance row) carries names and references only.
    public var secretValues: [String: [UInt8]]
    /// The volumes mounted into the instance (`volumes`), persistent or scratch.
    public var volumes: [VolumeMount]
    /// Writable scratch disk in MiB (`resources.diskMiB`): the instance's writable space is
    /// limited to it.
    public var diskMiB: Int?
    /// Nodes the instance spans (`resources.nodes`; 1 unless the manifest says more).
    public var nodes: Int
    /// The MIG profile each GPU must be (`resources.gpu.migProfile` with `sharing: mig`); kept in ``gpus``.
    public var migProfile: String? {
        get { gpus.migProfile }
        set { gpus.migProfile = newValue }
    }

    /// Creates a spec.
    public init(instanceId: String, project: String, app: String, version: String, mode: Mode, image: Image,
                command: [String], environment: [String: String] = [:], ports: [String: Int] = [:],
                gpus: GPURequest = GPURequest(model: nil, count: 0), gpuSharing: GPUSharing? = nil,
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
        if let gpuSharing { self.gpus.sharing = gpuSharing }
        self.cpuMillicores = cpuMillicores
        self.memoryMiB = memoryMiB
        self.timeLimitMinutes = timeLimitMinutes
        self.overrides = overrides
        self.idleStopMinutes = idleStopMinutes
        self.args = []
        self.secrets = []
        self.secretValues = [:]
        self.volumes = []
        self.diskMiB = nil
        self.nodes = 1
    }

    /// The argv the process runs: `command` (or the image's entrypoint and cmd when empty)
    /// with ``args`` appended (which replace the image's cmd when there is no `command`).
    public func argv(imageEntrypoint: [String], imageCmd: [String]) -> [String] {
        if !command.isEmpty { return command + args }
        return args.isEmpty ? imageEntrypoint + imageCmd : imageEntrypoint + args
    }
}

extension LaunchSpec {
    enum CodingKeys: String, CodingKey {
        case instanceId, project, app, version, mode, image, command, environment, ports, gpus, gpuSharing, cpuMillicores, memoryMiB
        case timeLimitMinutes, overrides, idleStopMinutes, args, secrets, volumes, diskMiB, nodes, migProfile
        // secretValues is deliberately not a key: plaintext never reaches a stored spec.
    }

    /// Decodes a spec; fields added after a row was written take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(instanceId: try c.decode(String.self, forKey: .instanceId), project: try c.decode(String.self, forKey: .project),
                  app: try c.decode(String.self, forKey: .app), version: try c.decode(String.self, forKey: .version),
                  mode: try c.decode(Mode.self, forKey: .mode), image: try c.decode(Image.self, forKey: .image),
                  command: try c.decode([String].self, forKey: .command),
                  environment: try c.decodeIfPresent([String: String].self, forKey: .environment) ?? [:],
                  ports: try c.decodeIfPresent([String: Int].self, forKey: .ports) ?? [:],
                  gpus: try c.decodeIfPresent(GPURequest.self, forKey: .gpus) ?? GPURequest(model: nil, count: 0),
                  cpuMillicores: try c.decodeIfPresent(Int.self, forKey: .cpuMillicores),
                  memoryMiB: try c.decodeIfPresent(Int.self, forKey: .memoryMiB),
                  timeLimitMinutes: try c.decodeIfPresent(Int.self, forKey: .timeLimitMinutes),
                  overrides: try c.decodeIfPresent([String: String].self, forKey: .overrides) ?? [:],
                  idleStopMinutes: try c.decodeIfPresent(Int.self, forKey: .idleStopMinutes))
        args = try c.decodeIfPresent([String].self, forKey: .args) ?? []
        secrets = try c.decodeIfPresent([SecretDelivery].self, forKey: .secrets) ?? []
        volumes = try c.decodeIfPresent([VolumeMount].self, forKey: .volumes) ?? []
        diskMiB = try c.decodeIfPresent(Int.self, forKey: .diskMiB)
        nodes = try c.decodeIfPresent(Int.self, forKey: .nodes) ?? 1
        // Rows from before sharing modes kept a Bool beside the request, and the profile beside it.
        if gpus.sharing == .exclusive, (try? c.decodeIfPresent(Bool.self, forKey: .gpuSharing)) == true { gpus.sharing = .shared }
        if let profile = try c.decodeIfPresent(String.self, forKey: .migProfile) { gpus.migProfile = profile }
    }

    /// Encodes every field but ``secretValues``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(instanceId, forKey: .instanceId)
        try c.encode(project, forKey: .project)
        try c.encode(app, forKey: .app)
        try c.encode(version, forKey: .version)
        try c.encode(mode, forKey: .mode)
        try c.encode(image, forKey: .image)
        try c.encode(command, forKey: .command)
        try c.encode(environment, forKey: .environment)
        try c.encode(ports, forKey: .ports)
        try c.encode(gpus, forKey: .gpus)
        try c.encode(gpuSharing == .shared, forKey: .gpuSharing)
        try c.encodeIfPresent(cpuMillicores, forKey: .cpuMillicores)
        try c.encodeIfPresent(memoryMiB, forKey: .memoryMiB)
        try c.encodeIfPresent(timeLimitMinutes, forKey: .timeLimitMinutes)
        try c.encode(overrides, forKey: .overrides)
        try c.encodeIfPresent(idleStopMinutes, forKey: .idleStopMinutes)
        try c.encode(args, forKey: .args)
        try c.encode(secrets, forKey: .secrets)
        try c.encode(volumes, forKey: .volumes)
        try c.encodeIfPresent(diskMiB, forKey: .diskMiB)
        try c.encode(nodes, forKey: .nodes)
        try c.encodeIfPresent(migProfile, forKey: .migProfile)
    }
}

/// One secret an instance gets: a file `/run/secrets/<name>` on a tmpfs (mode 0400), and the
/// environment variable `<name>` as well when the manifest says `env: true`.
public struct SecretDelivery: Sendable, Codable, Hashable {
    /// The name in the instance (`DB_PASSWORD`): the file name and, with ``env``, the variable.
    public var name: String
    /// `secret://<project>/<secret>` as the manifest wrote it.
    public var ref: String
    /// Whether the value is also set as an environment variable.
    public var env: Bool

    /// Creates a delivery.
    public init(name: String, ref: String, env: Bool = false) {
        self.name = name
        self.ref = ref
        self.env = env
    }
}

/// One volume mounted into an instance.
public struct VolumeMount: Sendable, Codable, Hashable {
    /// What kind of storage backs it.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// The project's persistent volume of that name: outlives instances and restarts.
        case persistent
        /// Scratch space for this run only, limited to ``VolumeMount/sizeMiB``.
        case scratch
    }

    /// The manifest's volume name (for a persistent volume, the project volume's name).
    public var name: String
    /// Where it is mounted in the instance.
    public var mountPath: String
    /// Mounted read-only.
    public var readOnly: Bool
    /// Persistent or scratch.
    public var kind: Kind
    /// The size limit in MiB (a scratch volume's size; a persistent volume's provisioned size).
    public var sizeMiB: Int?
    /// The project volume's id (persistent volumes; `nil` for scratch).
    public var volumeId: String?

    /// Creates a mount.
    public init(name: String, mountPath: String, readOnly: Bool = false, kind: Kind, sizeMiB: Int? = nil, volumeId: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.kind = kind
        self.sizeMiB = sizeMiB
        self.volumeId = volumeId
    }
}
