import PlatformContracts

/// A fixed policy for tests that build ``V1Routes`` by hand and never change policy: reads
/// and decisions answer the fixed snapshot; every change is refused, so a test that did
/// change policy through it would fail rather than pass against a snapshot that never moves.
struct ReadOnlyPolicy: PolicyEvaluator, PolicyAdministration {
    let fixed: FixedPolicyEvaluator

    init(_ snapshot: PolicySnapshot) { fixed = FixedPolicyEvaluator(snapshot) }

    /// Over the registry's definitions and plans, every tenant on `plan.standard`.
    init(_ policies: PolicyRegistry) {
        self.init(PolicySnapshot(id: "01JREAD0NLYP0L1CY000000000", version: 1, createdAt: .now(), definitions: policies.definitions,
                                 plans: policies.plansByID, defaultPlan: "plan.standard"))
    }

    func snapshot(for write: PolicyWrite) async throws -> PolicySnapshot { try await fixed.snapshot(for: write) }
    func read() async -> PolicyRead { await fixed.read() }

    func set(_ key: String, _ value: PolicyValue?, at target: PolicyTarget, by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot { throw Self.refusal }
    func assign(plan: String, tenant: String, by actor: PrincipalID, requestID: String?) async throws -> PolicySnapshot { throw Self.refusal }
    func setDepartment(_ name: String, tenant: String, projects: [String], by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot { throw Self.refusal }

    static let refusal = PlatformError(.internalError, "ReadOnlyPolicy does not change policy")
}
