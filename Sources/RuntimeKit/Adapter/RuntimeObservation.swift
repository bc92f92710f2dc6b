import PlatformContracts

/// What a runtime reports about a workload.
public enum RuntimeState: Sendable, Codable, Hashable {
    /// Queued or being set up; the reason is the runtime's (`Resources`, `Priority`).
    case pending(reason: String?)
    /// Its process is running.
    case running
    /// Its process exited with `code` (128 + signal for a signal).
    case exited(code: Int32)
    /// The runtime ended it for a typed reason (out of memory, time limit, node failure, preemption).
    case failed(FailureReason, message: String)
    /// The runtime no longer knows it and left no exit record.
    case gone

    /// Whether the workload can no longer change.
    public var isTerminal: Bool {
        switch self {
        case .pending, .running: false
        case .exited, .failed, .gone: true
        }
    }
}

/// One authoritative look at a workload.
public struct RuntimeObservation: Sendable, Codable, Hashable {
    /// Its state.
    public var state: RuntimeState
    /// The node it runs (or ran) on, once known.
    public var node: String?
    /// The address its endpoints listen on, once known.
    public var host: String?
    /// The GPU indices it was given on its node, once known.
    public var gpuIndices: [Int]?
    /// When its process started, as the runtime recorded it.
    public var startedAt: Timestamp?
    /// When it ended, as the runtime recorded it.
    public var finishedAt: Timestamp?

    /// Creates an observation.
    public init(state: RuntimeState, node: String? = nil, host: String? = nil, gpuIndices: [Int]? = nil,
                startedAt: Timestamp? = nil, finishedAt: Timestamp? = nil) {
        self.state = state
        self.node = node
        self.host = host
        self.gpuIndices = gpuIndices
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// Where an adapter would run a spec.
public struct PlacementPlan: Sendable, Codable, Hashable {
    /// The node chosen, when the adapter chooses (local); `nil` when a scheduler does (Slurm).
    public var node: String?
    /// Specific devices, when the adapter assigns them itself.
    public var devices: [GPUDevice]
    /// Whether the workload may wait in a queue before it runs.
    public var mayQueue: Bool
    /// One line for people: `localhost: GPUs 0,1`, `partition gpu, gres gpu:h100:2`.
    public var summary: String

    /// Creates a plan.
    public init(node: String?, devices: [GPUDevice], mayQueue: Bool, summary: String) {
        self.node = node
        self.devices = devices
        self.mayQueue = mayQueue
        self.summary = summary
    }
}
