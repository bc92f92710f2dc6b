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
    public var mode: String
    /// The phase name (see ``InstancePhase/names``).
    public var phase: String
    /// The failure reason when `phase` is `failed`.
    public var reason: String?
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

    /// Creates a record.
    public init(id: String, projectId: String, app: String, version: String, adapter: String, environment: String, mode: String,
                phase: String, reason: String?, message: String?, image: String, node: String?, gpus: [Int], gpuCount: Int,
                endpoints: [Endpoint], launchedBy: String, createdAt: String, updatedAt: String) {
        self.id = id
        self.projectId = projectId
        self.app = app
        self.version = version
        self.adapter = adapter
        self.environment = environment
        self.mode = mode
        self.phase = phase
        self.reason = reason
        self.message = message
        self.image = image
        self.node = node
        self.gpus = gpus
        self.gpuCount = gpuCount
        self.endpoints = endpoints
        self.launchedBy = launchedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the phase is terminal.
    public var isTerminal: Bool { ["stopped", "succeeded", "failed"].contains(phase) }
}

/// One phase change of an instance, in order (`seq` from 1).
public struct InstanceEvent: Sendable, Codable, Hashable {
    /// Position in the instance's history.
    public var seq: Int
    /// The phase entered.
    public var phase: String
    /// The failure reason, for `failed`.
    public var reason: String?
    /// Why.
    public var message: String?
    /// When.
    public var at: String

    /// Creates an event.
    public init(seq: Int, phase: String, reason: String?, message: String?, at: String) {
        self.seq = seq
        self.phase = phase
        self.reason = reason
        self.message = message
        self.at = at
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
