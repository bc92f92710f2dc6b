/// A request for capacity that quotas govern.
public struct CapacityRequest: Sendable, Codable, Equatable {
    /// The project asking.
    public var project: ProjectID
    /// GPUs wanted.
    public var gpus: Int64
    /// Instances wanted.
    public var instances: Int64

    /// Creates a request.
    public init(project: ProjectID, gpus: Int64, instances: Int64) {
        self.project = project
        self.gpus = gpus
        self.instances = instances
    }
}

/// The policy contract (implemented by `PolicyService`). Stale snapshots refuse writes.
public protocol PolicyEvaluator: Sendable {
    /// Decides whether the capacity may be granted now.
    func admit(_ request: CapacityRequest) async throws -> AccessDecision
}
