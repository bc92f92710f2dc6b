/// An immutable, versioned view of every policy: the registry's definitions and plans, which
/// plan each tenant has, the departments, and every override. Every change writes a new one
/// with a new ``id``; every decision names the id it used (audit detail `policy_snapshot`),
/// and long-lived resources keep the id they were created under.
public struct PolicySnapshot: Sendable, Codable, Hashable {
    /// A ULID, new for every change.
    public var id: String
    /// 1, 2, 3… in the order snapshots were written.
    public var version: Int64
    /// When it was written.
    public var createdAt: Timestamp
    /// The registry's policies, by key.
    public var definitions: [String: PolicyDefinition]
    /// The registry's plans, by id.
    public var plans: [String: PolicyPlan]
    /// The plan of a tenant with none assigned.
    public var defaultPlan: String
    /// Assigned plans, by tenant id.
    public var tenantPlans: [String: String]
    /// Departments: tenant id → department name → its project ids.
    public var departments: [String: [String: [String]]]
    /// Every override.
    public var overrides: [PolicyOverride]
    /// The price book rating uses (`price-book.yaml`); nil in snapshots written before it
    /// existed, which rating refuses (`billing.price_missing`) rather than guess.
    public var priceBook: PriceBook?

    /// Creates a snapshot.
    public init(id: String, version: Int64, createdAt: Timestamp, definitions: [String: PolicyDefinition], plans: [String: PolicyPlan],
                defaultPlan: String, tenantPlans: [String: String] = [:], departments: [String: [String: [String]]] = [:],
                overrides: [PolicyOverride] = [], priceBook: PriceBook? = nil) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.definitions = definitions
        self.plans = plans
        self.defaultPlan = defaultPlan
        self.tenantPlans = tenantPlans
        self.departments = departments
        self.overrides = overrides
        self.priceBook = priceBook
    }

    /// The plan that governs a tenant.
    public func plan(of tenant: String) -> String { tenantPlans[tenant] ?? defaultPlan }

    /// The department a project belongs to in its tenant, if any.
    public func department(of project: String, tenant: String) -> String? {
        departments[tenant]?.sorted { $0.key < $1.key }.first { $0.value.contains(project) }?.key
    }

    /// Resolves `key` for a project: default → plan → tenant → department → project, the
    /// last level that sets it winning (a retired policy stays at its default).
    /// - Throws: ``ErrorCode/policyKeyUnknown``.
    public func resolve(_ key: String, project: String, tenant: String) throws(PlatformError) -> ResolvedPolicy {
        guard let definition = definitions[key] else {
            throw PlatformError(.policyKeyUnknown, "no policy \(key) in the policy registry (it has \(definitions.keys.sorted().joined(separator: ", ")))",
                                details: ["key": key])
        }
        var chain = [PolicySource(level: .registryDefault, name: "policies.yaml", value: definition.default)]
        if definition.lifecycle != .retired {
            let planID = plan(of: tenant)
            if let value = plans[planID]?.values[key] { chain.append(PolicySource(level: .plan, name: planID, value: value)) }
            var targets: [PolicyTarget] = [.tenant(tenant)]
            if let department = department(of: project, tenant: tenant) { targets.append(.department(tenant: tenant, name: department)) }
            targets.append(.project(project))
            for target in targets where definition.scope.allows(target.level) {
                if let found = overrides.first(where: { $0.key == key && $0.target == target }) {
                    chain.append(PolicySource(level: target.level, name: target.description, value: found.value))
                }
            }
        }
        return ResolvedPolicy(definition: definition, chain: chain, snapshot: id)
    }

    /// Every policy resolved for a project, by key.
    public func resolveAll(project: String, tenant: String) -> [ResolvedPolicy] {
        definitions.keys.sorted().compactMap { try? resolve($0, project: project, tenant: tenant) }
    }

    /// An integer policy's value, `nil` when the key is missing or of another type.
    public func integer(_ key: String, project: String, tenant: String) -> Int64? {
        guard case .integer(let value)? = try? resolve(key, project: project, tenant: tenant).value else { return nil }
        return value
    }

    /// A list policy's value (empty means "any"), `nil` when missing or of another type.
    public func list(_ key: String, project: String, tenant: String) -> [String]? {
        guard case .list(let value)? = try? resolve(key, project: project, tenant: tenant).value else { return nil }
        return value
    }

    /// An integer-map policy's value, `nil` when missing or of another type.
    public func integerMap(_ key: String, project: String, tenant: String) -> [String: Int64]? {
        guard case .integerMap(let value)? = try? resolve(key, project: project, tenant: tenant).value else { return nil }
        return value
    }
}

/// One level's contribution to a resolved value.
public struct PolicySource: Sendable, Codable, Hashable {
    /// The level.
    public var level: PolicyLevel
    /// Which plan, tenant, department or project (`plan.standard`, `project/01J…`).
    public var name: String
    /// The value it sets.
    public var value: PolicyValue

    /// Creates a source.
    public init(level: PolicyLevel, name: String, value: PolicyValue) {
        self.level = level
        self.name = name
        self.value = value
    }
}

/// A policy's value for one project and where each part came from (`appctl policy explain`).
public struct ResolvedPolicy: Sendable, Codable, Hashable {
    /// The registry entry.
    public var definition: PolicyDefinition
    /// Every level that set it, lowest precedence first; the last one wins.
    public var chain: [PolicySource]
    /// The snapshot it was resolved from.
    public var snapshot: String

    /// Creates a resolution.
    public init(definition: PolicyDefinition, chain: [PolicySource], snapshot: String) {
        self.definition = definition
        self.chain = chain
        self.snapshot = snapshot
    }

    /// The key.
    public var key: String { definition.policyKey }
    /// The effective value.
    public var value: PolicyValue { chain.last?.value ?? definition.default }
    /// The level it came from.
    public var source: PolicySource { chain.last ?? PolicySource(level: .registryDefault, name: "policies.yaml", value: definition.default) }
}
