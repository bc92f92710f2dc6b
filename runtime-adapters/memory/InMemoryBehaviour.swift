import PlatformContracts

/// What one in-memory workload does, as times from its launch: the twin's equivalent of a
/// container image plus its command. Like nomad's mock driver, each launch gets its own,
/// chosen by ``InMemoryRuntime``'s selector from the ``LaunchSpec`` (app name, an
/// environment variable), so one test runtime can hold a service that serves, a job that
/// fails and a launch that never places.
///
/// ```swift
/// let job = InMemoryBehaviour(output: "hello ${PLATFORM_INSTANCE_ID}\n", exit: .init(code: 3, after: .seconds(2)))
/// let slow = InMemoryBehaviour(pending: .seconds(30), pendingReason: "Resources")
/// let broken = InMemoryBehaviour(startFailure: "exec format error")
/// ```
public struct InMemoryBehaviour: Sendable, Hashable {
    /// A natural end: the process exits with `code` once it has run for `after`.
    public struct Exit: Sendable, Hashable {
        /// The exit status (128 + signal for a signal).
        public var code: Int32
        /// How long it runs (from becoming running) before it exits.
        public var after: Duration

        /// Creates an exit.
        public init(code: Int32, after: Duration = .zero) {
            self.code = code
            self.after = after
        }
    }

    /// A typed end the runtime imposes (out of memory, time limit, node failure).
    public struct Failure: Sendable, Hashable {
        /// The typed reason.
        public var reason: FailureReason
        /// The runtime's message.
        public var message: String
        /// How long it runs (from becoming running) before the runtime ends it.
        public var after: Duration

        /// Creates a failure.
        public init(_ reason: FailureReason, message: String, after: Duration = .zero) {
            self.reason = reason
            self.message = message
            self.after = after
        }
    }

    /// How long the workload stays pending after `start` before it runs.
    public var pending: Duration
    /// The reason a pending observation carries (a scheduler's `Resources`, `Priority`).
    public var pendingReason: String
    /// When and how it exits by itself; `nil`: it serves until stopped.
    public var exit: Exit?
    /// A typed end imposed by the runtime; `nil`: none.
    public var failure: Failure?
    /// `start` throws ``ErrorCode/runtimeStartFailed`` with this reason and leaves nothing behind.
    public var startFailure: String?
    /// The runtime forgets the workload this long after launch, leaving no exit record
    /// (``RuntimeState/gone``): a node wiped, a container deleted behind the platform's back.
    public var lostAfter: Duration?
    /// `plan` refuses with ``ErrorCode/runtimePlacementUnsatisfiable`` (`reason: capacity`):
    /// no node of this runtime could ever take it.
    public var refusesCapacity: Bool
    /// Log text written when it starts running; `${NAME}` expands from its environment
    /// (the spec's, plus `PLATFORM_INSTANCE_ID` and the `CUDA_VISIBLE_DEVICES` it was given).
    public var output: String
    /// Log text written when it is asked to stop (its TERM handler), expanded the same way.
    public var stopOutput: String
    /// How long it takes to exit once asked to stop; past the stop's grace it is killed (137).
    public var stopDelay: Duration
    /// The status it exits with when it stops within the grace.
    public var stopExitCode: Int32
    /// Memory it uses once running, in MiB: past the spec's `memoryMiB` it ends failed(oom)
    /// (``limited(by:)``); set after creating the behaviour.
    public var memoryUseMiB: Int?
    /// Scratch disk it writes once running, in MiB: past the spec's `diskMiB` the write fails
    /// with `ENOSPC` and it exits 1 (``limited(by:)``); set after creating the behaviour.
    public var diskUseMiB: Int?
    /// File operations on its volumes when it starts running, logged as they happen
    /// (``InMemoryVolumeStep``); set after creating the behaviour.
    public var volumeSteps: [InMemoryVolumeStep] = []

    /// Creates a behaviour; the default runs at once, writes nothing and serves until stopped.
    public init(pending: Duration = .zero, pendingReason: String = "starting", exit: Exit? = nil, failure: Failure? = nil,
                startFailure: String? = nil, lostAfter: Duration? = nil, refusesCapacity: Bool = false,
                output: String = "", stopOutput: String = "", stopDelay: Duration = .zero, stopExitCode: Int32 = 0) {
        self.pending = pending
        self.pendingReason = pendingReason
        self.exit = exit
        self.failure = failure
        self.startFailure = startFailure
        self.lostAfter = lostAfter
        self.refusesCapacity = refusesCapacity
        self.output = output
        self.stopOutput = stopOutput
        self.stopDelay = stopDelay
        self.stopExitCode = stopExitCode
    }

    /// Serves until stopped (an interactive session, a service).
    public static let serve = InMemoryBehaviour()

    /// Writes `output` and exits with `code` after running for `after`.
    public static func exits(_ code: Int32, after: Duration = .zero, output: String = "") -> InMemoryBehaviour {
        InMemoryBehaviour(exit: Exit(code: code, after: after), output: output)
    }
}
