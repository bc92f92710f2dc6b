/// Where a policy may be set below its plan (the seed's `scope`): a `project` policy may be
/// overridden per tenant, department and project; a `tenant` one per tenant only; a
/// `platform` one only by choosing the plan.
public enum PolicyScope: String, Sendable, Codable, CaseIterable {
    case platform
    case tenant
    case project

    /// Whether an override at `level` is allowed for a policy of this scope.
    public func allows(_ level: PolicyLevel) -> Bool {
        switch (self, level) {
        case (_, .registryDefault), (_, .plan): true
        case (.platform, _): false
        case (.tenant, .tenant): true
        case (.tenant, _): false
        case (.project, _): true
        }
    }
}

/// A policy's life stage, from the registry: `retired` policies resolve to their default and
/// can no longer be set (a retired flag evaluates with reason `DISABLED`).
public enum PolicyLifecycle: String, Sendable, Codable, CaseIterable {
    case active
    case deprecated
    case retired
}

/// One entry of the policy registry (`policies.yaml`), in the seed's shape.
public struct PolicyDefinition: Sendable, Codable, Hashable {
    /// The key (`quota.concurrent_instances`, `connect.ssh`).
    public var policyKey: String
    /// Where it may be overridden.
    public var scope: PolicyScope
    /// Its value type.
    public var type: PolicyType
    /// The value when no plan or override sets one.
    public var `default`: PolicyValue
    /// Its life stage.
    public var lifecycle: PolicyLifecycle
    /// Bumped when the meaning of the policy changes.
    public var effectiveVersion: Int
    /// What it governs, in words.
    public var description: String

    enum CodingKeys: String, CodingKey {
        case policyKey = "policy_key", scope, type, `default`, lifecycle, effectiveVersion = "effective_version", description
    }

    /// Creates a definition.
    public init(policyKey: String, scope: PolicyScope, type: PolicyType, default: PolicyValue, lifecycle: PolicyLifecycle = .active,
                effectiveVersion: Int = 1, description: String) {
        self.policyKey = policyKey
        self.scope = scope
        self.type = type
        self.default = `default`
        self.lifecycle = lifecycle
        self.effectiveVersion = effectiveVersion
        self.description = description
    }
}

/// A plan: a named set of policy values (the registry's `plans`).
public struct PolicyPlan: Sendable, Codable, Hashable {
    /// `plan.standard`.
    public var planId: String
    /// What the plan is for.
    public var description: String
    /// Values by policy key; keys it does not name take the registry default.
    public var values: [String: PolicyValue]

    enum CodingKeys: String, CodingKey { case planId = "plan_id", description, values }

    /// Creates a plan.
    public init(planId: String, description: String, values: [String: PolicyValue]) {
        self.planId = planId
        self.description = description
        self.values = values
    }
}
