/// The policy registry file (`policies.yaml`, version 2) in the seed's shape: every policy's
/// definition and the plans, which are named sets of policy values.
public struct PolicyRegistry: Sendable, Codable, Equatable {
    /// Always `policy`.
    public var registry: String
    /// The file's version.
    public var version: Int
    /// Every policy.
    public var policies: [PolicyDefinition]
    /// Every plan.
    public var plans: [PolicyPlan]

    /// Creates a registry.
    public init(registry: String = "policy", version: Int = 2, policies: [PolicyDefinition], plans: [PolicyPlan]) {
        self.registry = registry
        self.version = version
        self.policies = policies
        self.plans = plans
    }

    /// The definitions by key.
    public var definitions: [String: PolicyDefinition] {
        Dictionary(policies.map { ($0.policyKey, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plans by id.
    public var plansByID: [String: PolicyPlan] {
        Dictionary(plans.map { ($0.planId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks what decoding cannot: unique keys and plan ids, an `effective_version` ≥ 1, each
    /// default of its policy's type, and every plan value naming a known policy with a value of
    /// its type; so a plan cannot hand a project a value the service would refuse to set.
    /// - Parameter file: How messages name the file.
    /// - Throws: ``ErrorCode/configInvalid`` naming the entry.
    public func check(file: String = "policies.yaml") throws(PlatformError) {
        var keys = Set<String>()
        for definition in policies {
            let entry = "\(file): policy \(definition.policyKey)"
            guard !definition.policyKey.isEmpty, keys.insert(definition.policyKey).inserted else {
                throw PlatformError(.configInvalid, "\(entry) is empty or a duplicate")
            }
            guard definition.effectiveVersion >= 1 else {
                throw PlatformError(.configInvalid, "\(entry): `effective_version` must be ≥ 1")
            }
            guard definition.default.type == definition.type else {
                throw PlatformError(.configInvalid, "\(entry): default \(definition.default) is a \(definition.default.type.rawValue), not a \(definition.type.rawValue)")
            }
        }
        var planIDs = Set<String>()
        let byKey = definitions
        for plan in plans {
            guard !plan.planId.isEmpty, planIDs.insert(plan.planId).inserted else {
                throw PlatformError(.configInvalid, "\(file): plan \(plan.planId) is empty or a duplicate")
            }
            for (key, value) in plan.values.sorted(by: { $0.key < $1.key }) {
                guard let definition = byKey[key] else {
                    throw PlatformError(.configInvalid, "\(file): plan \(plan.planId) sets unknown policy \(key)")
                }
                guard value.type == definition.type else {
                    throw PlatformError(.configInvalid, "\(file): plan \(plan.planId) sets \(key) to \(value), a \(value.type.rawValue), not a \(definition.type.rawValue)")
                }
            }
        }
    }
}
