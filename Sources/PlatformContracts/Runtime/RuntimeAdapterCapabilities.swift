/// What a runtime adapter declares it can do; fixed per adapter, rendered into the portal's
/// launch matrix.
public struct RuntimeAdapterCapabilities: Sendable, Codable, Hashable {
    /// Adapter name (`local`, `slurm`, `kubernetes`, `external`).
    public var name: String
    /// Instance modes it runs (`interactive`, `service`, `job`).
    public var modes: Set<String>
    /// Whether it can hand GPUs to instances.
    public var gpus: Bool
    /// Whether it supports exec into an instance.
    public var exec: Bool
    /// Whether it can forward ports to instances.
    public var portForward: Bool
    /// Whether a restarted server can re-attach to its instances.
    public var recover: Bool

    /// Declares capabilities.
    public init(name: String, modes: Set<String>, gpus: Bool, exec: Bool, portForward: Bool, recover: Bool) {
        self.name = name
        self.modes = modes
        self.gpus = gpus
        self.exec = exec
        self.portForward = portForward
        self.recover = recover
    }
}

/// The part of the runtime adapter contract every adapter has from the start: its
/// identity and capabilities. Lifecycle verbs join in `RuntimeKit` with the runtime issue.
public protocol RuntimeAdapterIdentity: Sendable {
    /// The fixed capabilities value.
    var capabilities: RuntimeAdapterCapabilities { get }
}
