/// An app instance as the API shows it.
public struct InstanceRecord: Sendable, Codable, Hashable {
    /// One endpoint and where to reach it.
    public struct Endpoint: Sendable, Codable, Hashable {
        /// The manifest's endpoint name.
        public var name: String
        /// The host port allocated to it.
        public var port: Int
        /// `http://host:port` once the host is known.
        public var url: String?

        /// Creates an endpoint.
        public init(name: String, port: Int, url: String?) {
            self.name = name
            self.port = port
            self.url = url
        }
    }

    /// The instance id (a ULID).
    public var id: String
    /// Its project.
    public var projectId: String
    /// The app's name.
    public var app: String
    /// The app's version.
    public var version: String
    /// The runtime adapter (`local`, `slurm`).
    public var adapter: String
    /// The environment it was admitted into (`development`, `staging`, `production`).
    public var environment: String
    /// `interactive`, `service` or `job`.
    public var mode: InstanceMode
    /// The phase; on the wire its name (see ``InstancePhase/names``) and, for `failed`, `reason`.
    public var phase: InstancePhase
    /// The failure reason's wire name when `phase` is `failed`.
    public var reason: String? { phase.failureReason?.rawValue }
    /// The last phase change's explanation.
    public var message: String?
    /// The pinned image (`repository@sha256:…`).
    public var image: String
    /// The node it runs on, once known.
    public var node: String?
    /// The GPU indices it holds on its node.
    public var gpus: [Int]
    /// How many GPUs it asked for.
    public var gpuCount: Int
    /// Its endpoints.
    public var endpoints: [Endpoint]
    /// Who launched it.
    public var launchedBy: String
    /// When it was accepted.
    public var createdAt: String
    /// When it last changed.
    public var updatedAt: String
    /// The policy snapshot it was admitted under (a long-lived resource keeps it); `nil` for
    /// instances admitted before policy snapshots existed.
    public var policySnapshot: String?
    /// Why the instance is flagged as running an artifact that is no longer trusted for its
    /// environment (quarantined, revoked, or demoted below the environment's required state),
    /// when the project's `artifacts.quarantine_stops_instances` policy flags rather than stops;
    /// `nil`: not flagged.
    public var trustFlag: String?
    /// How often its `restartPolicy` restarted it (since a 10-minute run last reset the count).
    public var restartCount: Int
    /// The exit status of its last ended run, when one ended with a status.
    public var lastExitCode: Int32?

    /// Creates a record.
    public init(id: String, projectId: String, app: String, version: String, adapter: String, environment: String, mode: InstanceMode,
                phase: InstancePhase, message: String?, image: String, node: String?, gpus: [Int], gpuCount: Int,
                endpoints: [Endpoint], launchedBy: String, createdAt: String, updatedAt: String, policySnapshot: String? = nil,
                trustFlag: String? = nil, restartCount: Int = 0, lastExitCode: Int32? = nil) {
        self.id = id
        self.projectId = projectId
        self.app = app
        self.version = version
        self.adapter = adapter
        self.environment = environment
        self.mode = mode
        self.phase = phase
        self.message = message
        self.image = image
        self.node = node
        self.gpus = gpus
        self.gpuCount = gpuCount
        self.endpoints = endpoints
        self.launchedBy = launchedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.policySnapshot = policySnapshot
        self.trustFlag = trustFlag
        self.restartCount = restartCount
        self.lastExitCode = lastExitCode
    }

    /// Whether the phase is terminal.
    public var isTerminal: Bool { phase.isTerminal }
}

extension InstanceRecord {
    private enum CodingKeys: String, CodingKey {
        case id, projectId, app, version, adapter, environment, mode, phase, reason, message, image, node, gpus, gpuCount, endpoints
        case launchedBy, createdAt, updatedAt, policySnapshot, trustFlag, restartCount, lastExitCode
    }

    /// Decodes the wire form: `phase` by name, `reason` for `failed`.
    /// - Throws: `DecodingError.dataCorrupted` for a phase name this version does not know.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        projectId = try container.decode(String.self, forKey: .projectId)
        app = try container.decode(String.self, forKey: .app)
        version = try container.decode(String.self, forKey: .version)
        adapter = try container.decode(String.self, forKey: .adapter)
        environment = try container.decode(String.self, forKey: .environment)
        mode = try container.decode(InstanceMode.self, forKey: .mode)
        phase = try InstancePhase.decode(from: container, phase: .phase, reason: .reason)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        image = try container.decode(String.self, forKey: .image)
        node = try container.decodeIfPresent(String.self, forKey: .node)
        gpus = try container.decode([Int].self, forKey: .gpus)
        gpuCount = try container.decode(Int.self, forKey: .gpuCount)
        endpoints = try container.decode([Endpoint].self, forKey: .endpoints)
        launchedBy = try container.decode(String.self, forKey: .launchedBy)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
        policySnapshot = try container.decodeIfPresent(String.self, forKey: .policySnapshot)
        trustFlag = try container.decodeIfPresent(String.self, forKey: .trustFlag)
        // Servers from before restarts did not send it.
        restartCount = try container.decodeIfPresent(Int.self, forKey: .restartCount) ?? 0
        lastExitCode = try container.decodeIfPresent(Int32.self, forKey: .lastExitCode)
    }

    /// Encodes the wire form the API has always had: `phase` and `reason` as strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(projectId, forKey: .projectId)
        try container.encode(app, forKey: .app)
        try container.encode(version, forKey: .version)
        try container.encode(adapter, forKey: .adapter)
        try container.encode(environment, forKey: .environment)
        try container.encode(mode, forKey: .mode)
        try container.encode(phase.name, forKey: .phase)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encode(image, forKey: .image)
        try container.encodeIfPresent(node, forKey: .node)
        try container.encode(gpus, forKey: .gpus)
        try container.encode(gpuCount, forKey: .gpuCount)
        try container.encode(endpoints, forKey: .endpoints)
        try container.encode(launchedBy, forKey: .launchedBy)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(policySnapshot, forKey: .policySnapshot)
        try container.encodeIfPresent(trustFlag, forKey: .trustFlag)
        try container.encode(restartCount, forKey: .restartCount)
        try container.encodeIfPresent(lastExitCode, forKey: .lastExitCode)
    }
}

/// One phase change of an instance, in order (`seq` from 1).
public struct InstanceEvent: Sendable, Codable, Hashable {
    /// Position in the instance's history.
    public var seq: Int
    /// The phase entered; on the wire its name and, for `failed`, `reason`.
    public var phase: InstancePhase
    /// The failure reason's wire name, for `failed`.
    public var reason: String? { phase.failureReason?.rawValue }
    /// Why.
    public var message: String?
    /// When.
    public var at: String

    /// Creates an event.
    public init(seq: Int, phase: InstancePhase, message: String?, at: String) {
        self.seq = seq
        self.phase = phase
        self.message = message
        self.at = at
    }

    private enum CodingKeys: String, CodingKey { case seq, phase, reason, message, at }

    /// Decodes the wire form: `phase` by name, `reason` for `failed`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try container.decode(Int.self, forKey: .seq)
        phase = try InstancePhase.decode(from: container, phase: .phase, reason: .reason)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        at = try container.decode(String.self, forKey: .at)
    }

    /// Encodes `phase` and `reason` as strings, as the API always has.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(phase.name, forKey: .phase)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encode(at, forKey: .at)
    }
}

extension InstancePhase {
    /// Reads a phase stored as a name plus an optional reason in a keyed container.
    static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, phase: Key, reason: Key) throws -> InstancePhase {
        let name = try container.decode(String.self, forKey: phase)
        guard let decoded = InstancePhase(name: name, reason: try container.decodeIfPresent(String.self, forKey: reason)) else {
            throw DecodingError.dataCorruptedError(forKey: phase, in: container, debugDescription: "unknown instance phase \(name)")
        }
        return decoded
    }
}

/// `POST /v1/projects/{project}/instances`.
public struct LaunchRequest: Sendable, Codable, Hashable {
    /// The app's name.
    public var app: String
    /// A registered version; the latest registered when absent.
    public var version: String?
    /// The adapter; the manifest's first listed adapter the server has when absent.
    public var adapter: String?
    /// The target environment; `production` when absent.
    public var environment: String?
    /// `MODEL:N` or `N`, overriding the manifest's GPU request.
    public var gpus: String?
    /// Parameter values by name.
    public var params: [String: String]?

    /// Creates a request.
    public init(app: String, version: String? = nil, adapter: String? = nil, environment: String? = nil, gpus: String? = nil,
                params: [String: String]? = nil) {
        self.app = app
        self.version = version
        self.adapter = adapter
        self.environment = environment
        self.gpus = gpus
        self.params = params
    }
}

/// A slice of an instance's log (`GET …/logs?offset=`).
public struct InstanceLogChunk: Sendable, Codable, Hashable {
    /// UTF-8 text (invalid bytes replaced).
    public var text: String
    /// The offset to ask for next.
    public var nextOffset: Int64
    /// Whether the instance is terminal (no more output will come once this is empty).
    public var finished: Bool

    /// Creates a chunk.
    public init(text: String, nextOffset: Int64, finished: Bool) {
        self.text = text
        self.nextOffset = nextOffset
        self.finished = finished
    }
}
