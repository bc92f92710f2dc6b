/// The classes of write that the freshness budget guards: past the budget each fails closed
/// with ``ErrorCode/policyStale`` (the seed's degradation model), while reads go on, stamped.
public enum PolicyWrite: String, Sendable, Codable, CaseIterable {
    /// Takes capacity: instance admission, registry storage.
    case capacity
    /// Grants access: connect, promotion.
    case authority
    /// Writes money: ledger entries.
    case financial
}

/// A snapshot as a read sees it: with its age, and whether that age is past the budget.
public struct PolicyRead: Sendable {
    /// The replica's current snapshot.
    public var snapshot: PolicySnapshot
    /// Time since the replica last confirmed it is the newest.
    public var age: Duration
    /// Whether ``age`` exceeds the freshness budget.
    public var stale: Bool

    /// Creates a read.
    public init(snapshot: PolicySnapshot, age: Duration, stale: Bool) {
        self.snapshot = snapshot
        self.age = age
        self.stale = stale
    }
}

/// The policy contract (implemented by `PolicyService`): decisions come from a local
/// snapshot; a snapshot older than the freshness budget refuses writes.
public protocol PolicyEvaluator: Sendable {
    /// The snapshot a write decides with.
    /// - Throws: ``ErrorCode/policyStale`` when the local snapshot is past the freshness budget.
    func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot

    /// The current snapshot for a read, never refused, stamped with its age.
    func read() async -> PolicyRead
}

/// Always-fresh policy from a fixed snapshot: the fast test tier's twin, and the policy of
/// tools that run without a server.
public struct FixedPolicyEvaluator: PolicyEvaluator {
    /// The snapshot every decision uses.
    public let fixed: PolicySnapshot

    /// Creates the twin.
    public init(_ snapshot: PolicySnapshot) { fixed = snapshot }

    public func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot { fixed }

    public func read() async -> PolicyRead { PolicyRead(snapshot: fixed, age: .zero, stale: false) }
}

/// Changes policy (implemented by `PolicyService`). Every change writes a new snapshot, audited
/// with its id, and returns it.
public protocol PolicyAdministration: Sendable {
    /// Sets (or, with `value` `nil`, clears) an override.
    /// - Throws: ``ErrorCode/policyKeyUnknown``, ``ErrorCode/policyValueInvalid`` (wrong type, a
    ///   retired policy, or a level its scope does not allow).
    func set(_ key: String, _ value: PolicyValue?, at target: PolicyTarget, by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot

    /// Assigns a plan to a tenant.
    /// - Throws: ``ErrorCode/policyPlanUnknown``.
    func assign(plan: String, tenant: String, by actor: PrincipalID, requestID: String?) async throws -> PolicySnapshot

    /// Defines (or, with no projects, removes) a department of a tenant; a project leaves any
    /// other department of the tenant it was in.
    func setDepartment(_ name: String, tenant: String, projects: [String], by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot
}
