/// Why an instance failed: typed, never collapsed into "completed".
public enum FailureReason: String, Sendable, Codable, CaseIterable {
    /// The manifest or target is invalid.
    case validation
    /// A quota refused it.
    case quota
    /// No node fits.
    case placement
    /// The artifact is below the required trust state.
    case artifactUntrusted = "artifact-untrusted"
    /// The process or container did not start.
    case start
    /// It never became ready in time.
    case healthTimeout = "health-timeout"
    /// Killed for memory.
    case oom
    /// Preempted by the scheduler.
    case preempted
    /// Its node went away.
    case nodeLost = "node-lost"
    /// The adapter lost track of it.
    case lost
}

/// An instance's lifecycle phase.
public enum InstancePhase: Sendable, Codable, Hashable {
    /// Accepted by the API.
    case accepted
    /// Placed on a node.
    case scheduled
    /// Being started.
    case starting
    /// Running, not yet ready.
    case running
    /// Passing its readiness probe.
    case ready
    /// Stop requested.
    case stopping
    /// Stopped on request.
    case stopped
    /// A job that finished successfully.
    case succeeded
    /// Failed, with the reason.
    case failed(FailureReason)

    /// Whether no further transition can happen.
    public var isTerminal: Bool {
        switch self {
        case .stopped, .succeeded, .failed: true
        default: false
        }
    }
}
