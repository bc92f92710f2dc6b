/// Whether a node takes new instances and how busy it is, in the words Slurm's `sinfo`
/// uses, so an operator reads the same state in `appctl node list` as on the cluster.
public enum NodeState: String, Sendable, Codable, Hashable, CaseIterable {
    /// Nothing allocated.
    case idle
    /// Some of it allocated.
    case mixed
    /// All of it allocated (new instances queue).
    case allocated
    /// Drain requested while jobs still run: takes no new instance.
    case draining
    /// Drained: takes no new instance until resumed.
    case drained
    /// Down or not responding.
    case down
    /// The runtime does not say (a Slurm node still registering, an adapter that did not answer).
    case unknown

    /// Whether placement may give the node a new instance.
    public var acceptsInstances: Bool {
        switch self {
        case .idle, .mixed, .allocated: true
        case .draining, .drained, .down, .unknown: false
        }
    }

    /// The state of a node whose only resources are `count` devices of which `held` are held
    /// (a node without devices is idle: the platform does not track its CPUs).
    public init(held: Int, of count: Int) {
        self = held == 0 ? .idle : held >= count ? .allocated : .mixed
    }

    /// The state `scontrol show node` prints (`IDLE`, `MIXED+DRAIN`, `DOWN+NOT_RESPONDING`,
    /// `IDLE*`): a base state and `+`-joined flags. A drain flag makes an idle node drained
    /// and a busy one draining; down wins over everything. `NOT_RESPONDING` alone keeps the
    /// base state: slurmctld sets it for a moment on every resume until the next ping, and
    /// marks the node `DOWN` itself once `SlurmdTimeout` passes without an answer.
    public init(slurm text: String) {
        // sinfo's suffixes (`*` not responding, `~` powered off, `#` powering up, …) are not part of the word.
        let words = text.uppercased().split(separator: "+").map { String($0.filter { $0.isLetter || $0 == "_" }) }
        let base = words.first ?? ""
        let flags = Set(words.dropFirst())
        if base == "DOWN" || base == "ERROR" || base == "FUTURE" {
            self = .down
            return
        }
        let busy = base == "MIXED" || base == "ALLOCATED" || base == "ALLOC" || base == "MIX" || flags.contains("COMPLETING")
        if flags.contains("DRAIN") || flags.contains("FAIL") || base == "DRAINED" || base == "DRAINING" || base == "DRAIN" {
            self = base == "DRAINING" || (busy && base != "DRAINED") ? .draining : .drained
            return
        }
        switch base {
        case "IDLE": self = flags.contains("COMPLETING") ? .mixed : .idle
        case "MIXED", "MIX": self = .mixed
        case "ALLOCATED", "ALLOC", "COMPLETING": self = .allocated
        default: self = .unknown
        }
    }
}
