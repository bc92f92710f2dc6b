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
    /// It ran past its time limit.
    case timeout
    /// Cancelled by someone other than the platform (an operator's `scancel`).
    case cancelled
    /// Its process exited with a non-zero status.
    case exitNonZero = "exit-nonzero"
    /// It kept failing and was restarted as often as `lifecycle.crash_loop_restarts` allows
    /// (`restartPolicy: on-failure|always`); the last exit is in the message.
    case crashLoop = "crash-loop"
    /// Its liveness probe failed `failureThreshold` times in a row and its restart policy does
    /// not restart it.
    case liveness
}

/// An instance's lifecycle phase.
///
/// `accepted → scheduled → starting → running → ready → stopping → stopped`; jobs end in
/// `succeeded`; any phase may end in `failed(reason)`.
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

    /// Whether no further transition can happen: the one definition of "terminal" (rows,
    /// records, the event stream and the supervisor all ask this).
    public var isTerminal: Bool {
        switch self {
        case .stopped, .succeeded, .failed: true
        default: false
        }
    }

    /// Whether connect sessions may reach the instance in this phase (`running` or `ready`).
    public var isConnectable: Bool {
        switch self {
        case .running, .ready: true
        default: false
        }
    }
}

extension InstancePhase: CaseIterable {
    /// Every phase, with `failed` once per ``FailureReason``: what a test enumerates to cover
    /// the phase machine's whole table.
    public static var allCases: [InstancePhase] {
        [.accepted, .scheduled, .starting, .running, .ready, .stopping, .stopped, .succeeded] + FailureReason.allCases.map(InstancePhase.failed)
    }
}

extension InstancePhase {
    /// The phase's stable name (`ready`, `failed`); the reason travels separately.
    public var name: String {
        switch self {
        case .accepted: "accepted"
        case .scheduled: "scheduled"
        case .starting: "starting"
        case .running: "running"
        case .ready: "ready"
        case .stopping: "stopping"
        case .stopped: "stopped"
        case .succeeded: "succeeded"
        case .failed: "failed"
        }
    }

    /// The failure reason, when failed.
    public var failureReason: FailureReason? {
        if case .failed(let reason) = self { reason } else { nil }
    }

    /// Rebuilds a phase from its stored name and reason; `nil` for an unknown name.
    public init?(name: String, reason: String?) {
        switch name {
        case "accepted": self = .accepted
        case "scheduled": self = .scheduled
        case "starting": self = .starting
        case "running": self = .running
        case "ready": self = .ready
        case "stopping": self = .stopping
        case "stopped": self = .stopped
        case "succeeded": self = .succeeded
        case "failed": self = .failed(reason.flatMap(FailureReason.init(rawValue:)) ?? .lost)
        default: return nil
        }
    }

    /// Every phase name, in lifecycle order (``allCases`` with the failure reasons folded into one `failed`).
    public static let names: [String] = allCases.map(\.name).reduce(into: []) { names, name in
        if !names.contains(name) { names.append(name) }
    }
}
