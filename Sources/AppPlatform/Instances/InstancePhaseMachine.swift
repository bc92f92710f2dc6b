import PlatformContracts

/// Why an instance is stopping, persisted with it (`stop_cause`): what ends a stop decides
/// the terminal phase, so it is a field, never read back out of a message.
public enum StopCause: String, Sendable, Codable, Hashable, CaseIterable {
    /// Someone asked (`POST …/stop`, a launch stopped before it started).
    case requested
    /// No connect activity for `lifecycle.idleStopMinutes`.
    case idle
    /// Not ready by its readiness deadline: the stop ends in `failed(health-timeout)`.
    case healthTimeout = "health-timeout"
    /// Its project's (or tenant's) budget was exhausted for longer than
    /// `billing.budget_grace_seconds`, with `billing.budget_stops_running` on (``BudgetEnforcer``).
    case budget
    /// Its artifact was quarantined, revoked or demoted below its environment's required trust
    /// state, with `artifacts.quarantine_stops_instances` on (``InstanceService/enforceTrust(in:changes:by:requestID:)``).
    case artifactUntrusted = "artifact-untrusted"
    /// It ran for `lifecycle.maxRuntimeMinutes` (the supervisor enforces it on adapters whose
    /// runtime has no time limit of its own): the stop ends in `failed(timeout)`.
    case maxRuntime = "max-runtime"
    /// Its liveness probe failed `failureThreshold` times in a row and its restart policy does
    /// not restart it: the stop ends in `failed(liveness)`.
    case liveness
}

/// What happens to an instance, as the supervisor learns it.
public enum InstancePhaseEvent: Sendable, Hashable {
    /// Placement answered: a node (or queue) will take it.
    case scheduled
    /// The adapter is being asked to start it.
    case starting
    /// The runtime reports it running.
    case runtimeRunning
    /// Its readiness probe answered (or it has none).
    case probePassed
    /// A stop was requested, for `cause`.
    case stopRequested(StopCause)
    /// Its process exited with `code`.
    case runtimeExited(code: Int32)
    /// The runtime reports a failure.
    case runtimeFailed(FailureReason)
    /// The runtime no longer knows the workload.
    case runtimeGone
    /// The adapter refused to start it (`start` or `placement`); it fails even while stopping.
    case startFailed(FailureReason)
    /// The platform lost track of it (no handle after a restart, re-attach refused).
    case workloadLost
    /// A stop arrived before the workload started: nothing runs, it simply ends.
    case startAbandoned
    /// Its workload ended (or was killed by a failing startup or liveness probe) and its
    /// `restartPolicy` starts it again: the one backward move, `running`/`ready` → `starting`.
    case restarting
}

/// The phase machine, as one table: for every (phase, event) pair either the phase the
/// instance moves to or `nil` (refused; the supervisor logs it and writes nothing).
///
/// ```text
/// accepted → scheduled → starting → running → ready → stopping → stopped
///                                      └──────────────────────→ succeeded (jobs, exit 0)
/// any non-terminal ─────────────────────────────────────────────→ failed(reason)
/// ```
/// A phase never moves backwards but for one move: ``InstancePhaseEvent/restarting`` takes a
/// `starting`, `running` or `ready` instance whose workload ended back to `starting` (its
/// `restartPolicy` starts it again). Terminal phases accept nothing; once `stopping`, only a
/// terminal phase follows. How a stopping instance ends depends on its ``StopCause``:
/// `health-timeout` ends `failed(health-timeout)`, `max-runtime` `failed(timeout)`, `liveness`
/// `failed(liveness)`, any other cause `stopped`.
public enum InstancePhaseMachine {
    /// The phase after `event`, or `nil` when the table refuses the pair.
    /// - Parameters:
    ///   - mode: Jobs end `succeeded` on exit 0 and have no readiness.
    ///   - stopCause: The persisted cause, when a stop was requested.
    public static func next(from phase: InstancePhase, on event: InstancePhaseEvent, mode: InstanceMode,
                            stopCause: StopCause?) -> InstancePhase? {
        if phase.isTerminal { return nil }
        let stopping = phase == .stopping
        let stoppedEnd: InstancePhase = switch stopCause {
        case .healthTimeout: .failed(.healthTimeout)
        case .maxRuntime: .failed(.timeout)
        case .liveness: .failed(.liveness)
        case .requested, .idle, .budget, .artifactUntrusted, nil: .stopped
        }
        switch event {
        case .scheduled:
            return phase == .accepted ? .scheduled : nil
        case .starting:
            return phase == .scheduled ? .starting : nil
        case .runtimeRunning:
            return [.accepted, .scheduled, .starting].contains(phase) ? .running : nil
        case .probePassed:
            return phase == .running && mode != .job ? .ready : nil
        case .stopRequested(.requested), .stopRequested(.budget), .stopRequested(.artifactUntrusted), .stopRequested(.maxRuntime):
            return stopping ? nil : .stopping
        case .stopRequested(.liveness):
            return phase.isConnectable && mode != .job ? .stopping : nil
        case .stopRequested(.idle):
            return phase.isConnectable ? .stopping : nil
        case .stopRequested(.healthTimeout):
            return phase == .running && mode != .job ? .stopping : nil
        case .runtimeExited(let code):
            if stopping { return stoppedEnd }
            if code == 0 { return mode == .job ? .succeeded : .stopped }
            return .failed(.exitNonZero)
        case .runtimeFailed(let reason):
            return stopping && reason == .cancelled ? stoppedEnd : .failed(reason)
        case .runtimeGone:
            return stopping ? .stopped : .failed(.lost)
        case .startFailed(let reason):
            return .failed(reason)
        case .workloadLost:
            return .failed(.lost)
        case .startAbandoned:
            return [.accepted, .scheduled, .starting, .stopping].contains(phase) ? .stopped : nil
        case .restarting:
            return [.starting, .running, .ready].contains(phase) ? .starting : nil
        }
    }
}
