import HTTPTypes
import PlatformContracts

/// Policy, plans, departments and feature flags. Reads (`policy:read`) answer from the
/// replica's snapshot whatever its age, stamped with that age; writes (`policy:write`, held
/// by platform admins only: a tenant that could set its own overrides could raise its own
/// quotas past its plan) go through `PolicyAdministration`, which audits each change and
/// answers the new snapshot's id.
extension Endpoints {
    /// A policy explained for one project.
    public typealias ProjectPolicy = ProjectItemPath<ProjectItems.Policy>

    public static let listProjectPolicies = Endpoint<ProjectPath, NoQuery, NoBody, ProjectPolicies>(
        .listProjectPolicies, in: .policy, .get, "/v1/projects/\(.project)/policies", scope: "policy:read",
        summary: "Every policy resolved for the project: value, where it came from, and the snapshot (id, age, stale).")
    public static let explainPolicy = Endpoint<ProjectPolicy, NoQuery, NoBody, PolicyExplanation>(
        .explainPolicy, in: .policy, .get, "/v1/projects/\(.project)/policies/\(.policy)", scope: "policy:read",
        summary: "One policy for the project with every level that sets it (default, plan, tenant, department, project); the last wins.")
    public static let setPolicy = Endpoint<PolicyKeyPath, NoQuery, PolicySetRequest, PolicyChange>(
        .setPolicy, in: .policy, .put, "/v1/policies/\(.policy)", scope: "policy:write",
        summary: "Set (or, with no value, clear) a policy override for a tenant, department or project; answers the new snapshot.")
    public static let listPlans = Endpoint<NoPath, NoQuery, NoBody, PolicyPlans>(
        .listPlans, in: .policy, .get, "/v1/plans", scope: "policy:read",
        summary: "The plans with their values, the default plan, and the policy registry's definitions.")
    public static let assignPlan = Endpoint<TenantPath, NoQuery, PlanAssignment, PolicyChange>(
        .assignPlan, in: .policy, .put, "/v1/tenants/\(.tenant)/plan", scope: "policy:write",
        summary: "Assign a plan to a tenant; answers the new snapshot.")
    public static let setDepartment = Endpoint<TenantDepartmentPath, NoQuery, DepartmentRequest, PolicyChange>(
        .setDepartment, in: .policy, .put, "/v1/tenants/\(.tenant)/departments/\(.department)", scope: "policy:write",
        summary: "Define a department's projects (none removes it); a project leaves its previous department. Answers the new snapshot.")
    public static let listProjectFlags = Endpoint<ProjectPath, NoQuery, NoBody, ProjectFlags>(
        .listProjectFlags, in: .policy, .get, "/v1/projects/\(.project)/flags", scope: "policy:read",
        summary: "Every feature flag evaluated for the project, in OpenFeature's vocabulary (flagKey, value, variant, reason, targeting).")
    public static let setFlag = Endpoint<FlagPath, NoQuery, PolicySetRequest, PolicyChange>(
        .setFlag, in: .policy, .put, "/v1/flags/\(.flag)", scope: "policy:write",
        summary: "Turn a feature flag on or off (or, with no value, clear the override) for a tenant, department or project.")
}

extension ProjectItems {
    /// A policy key.
    public enum Policy: ProjectItem { public static let parameter = PathParameter.policy }
}

/// `/v1/policies/{policy}`.
public struct PolicyKeyPath: EndpointPath {
    public static let parameters: [PathParameter] = [.policy]
    /// The policy key.
    public var policy: String
    /// Creates the value.
    public init(policy: String) { self.policy = policy }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { policy = try value(.policy) }
    public func value(of parameter: PathParameter) -> String { policy }
}

/// `/v1/flags/{flag}`.
public struct FlagPath: EndpointPath {
    public static let parameters: [PathParameter] = [.flag]
    /// The flag key.
    public var flag: String
    /// Creates the value.
    public init(flag: String) { self.flag = flag }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { flag = try value(.flag) }
    public func value(of parameter: PathParameter) -> String { flag }
}

/// `/v1/tenants/{tenant}/departments/{department}`.
public struct TenantDepartmentPath: EndpointPath {
    public static let parameters: [PathParameter] = [.tenant, .department]
    /// Tenant id or name.
    public var tenant: String
    /// Department name.
    public var department: String
    /// Creates the value.
    public init(tenant: String, department: String) { self.tenant = tenant; self.department = department }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {
        tenant = try value(.tenant); department = try value(.department)
    }
    public func value(of parameter: PathParameter) -> String { parameter == .tenant ? tenant : department }
}

/// The snapshot a read used: which one, and how old the replica's copy is.
public struct PolicySnapshotStamp: Codable, Sendable, Hashable {
    /// The snapshot id (a ULID, new for every change).
    public var id: String
    /// Its version: 1, 2, 3… in write order.
    public var version: Int64
    /// When it was written.
    public var createdAt: Timestamp
    /// Milliseconds since the replica last confirmed it is the newest.
    public var ageMs: Int64
    /// Whether that age is past the freshness budget: reads still answer, writes that need
    /// policy fail closed with `policy.stale`.
    public var stale: Bool

    /// Creates a stamp.
    public init(id: String, version: Int64, createdAt: Timestamp, ageMs: Int64, stale: Bool) {
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.ageMs = ageMs
        self.stale = stale
    }

    /// The stamp of a read.
    public init(_ read: PolicyRead) {
        let age = read.age.components
        self.init(id: read.snapshot.id, version: read.snapshot.version, createdAt: read.snapshot.createdAt,
                  ageMs: age.seconds * 1000 + age.attoseconds / 1_000_000_000_000_000, stale: read.stale)
    }
}

/// One policy as it applies to a project.
public struct ProjectPolicyValue: Codable, Sendable, Hashable {
    /// The key.
    public var key: String
    /// Its value type.
    public var type: PolicyType
    /// Where it may be overridden.
    public var scope: PolicyScope
    /// Its life stage.
    public var lifecycle: PolicyLifecycle
    /// The effective value.
    public var value: PolicyValue
    /// The level the value came from.
    public var level: PolicyLevel
    /// Which plan, tenant, department or project at that level (`plan.standard`, `project/01J…`).
    public var source: String

    /// Creates the value.
    public init(key: String, type: PolicyType, scope: PolicyScope, lifecycle: PolicyLifecycle, value: PolicyValue, level: PolicyLevel,
                source: String) {
        self.key = key
        self.type = type
        self.scope = scope
        self.lifecycle = lifecycle
        self.value = value
        self.level = level
        self.source = source
    }

    /// The row of a resolution.
    public init(_ resolved: ResolvedPolicy) {
        self.init(key: resolved.key, type: resolved.definition.type, scope: resolved.definition.scope, lifecycle: resolved.definition.lifecycle,
                  value: resolved.value, level: resolved.source.level, source: resolved.source.name)
    }
}

/// Where a project sits in the policy hierarchy.
public struct PolicyPlacement: Codable, Sendable, Hashable {
    /// The project id.
    public var project: String
    /// Its tenant's id.
    public var tenant: String
    /// The tenant's plan.
    public var plan: String
    /// The project's department in its tenant, if any.
    public var department: String?

    /// Creates the placement.
    public init(project: String, tenant: String, plan: String, department: String?) {
        self.project = project
        self.tenant = tenant
        self.plan = plan
        self.department = department
    }
}

/// Every policy of a project (`appctl policy show`).
public struct ProjectPolicies: Codable, Sendable, Hashable {
    /// Project, tenant, plan and department.
    public var placement: PolicyPlacement
    /// The snapshot resolved.
    public var snapshot: PolicySnapshotStamp
    /// Every policy, by key.
    public var policies: [ProjectPolicyValue]

    /// Creates the list.
    public init(placement: PolicyPlacement, snapshot: PolicySnapshotStamp, policies: [ProjectPolicyValue]) {
        self.placement = placement
        self.snapshot = snapshot
        self.policies = policies
    }
}

/// One policy for a project and where each part came from (`appctl policy explain`).
public struct PolicyExplanation: Codable, Sendable, Hashable {
    /// Project, tenant, plan and department.
    public var placement: PolicyPlacement
    /// The snapshot resolved.
    public var snapshot: PolicySnapshotStamp
    /// The registry entry.
    public var definition: PolicyDefinition
    /// Every level that sets it, lowest precedence first; the last one (``winner``) wins.
    public var chain: [PolicySource]
    /// The level whose value is in force.
    public var winner: PolicySource

    /// Creates the explanation.
    public init(placement: PolicyPlacement, snapshot: PolicySnapshotStamp, definition: PolicyDefinition, chain: [PolicySource],
                winner: PolicySource) {
        self.placement = placement
        self.snapshot = snapshot
        self.definition = definition
        self.chain = chain
        self.winner = winner
    }
}

/// Every flag of a project, OpenFeature's evaluation details each; the reason stays the
/// evaluation's own, and a stale snapshot shows in ``snapshot`` (`stale`, `ageMs`).
public struct ProjectFlags: Codable, Sendable, Hashable {
    /// Project, tenant, plan and department.
    public var placement: PolicyPlacement
    /// The snapshot evaluated.
    public var snapshot: PolicySnapshotStamp
    /// Every flag, by key.
    public var flags: [FlagEvaluation]

    /// Creates the list.
    public init(placement: PolicyPlacement, snapshot: PolicySnapshotStamp, flags: [FlagEvaluation]) {
        self.placement = placement
        self.snapshot = snapshot
        self.flags = flags
    }
}

/// The plans (`appctl plan list`), and the definitions a client needs to read a value's text.
public struct PolicyPlans: Codable, Sendable, Hashable {
    /// The plan of a tenant with none assigned.
    public var defaultPlan: String
    /// Every plan with its values.
    public var plans: [PolicyPlan]
    /// The policy registry's entries, by key.
    public var definitions: [PolicyDefinition]
    /// The snapshot read.
    public var snapshot: PolicySnapshotStamp

    /// Creates the list.
    public init(defaultPlan: String, plans: [PolicyPlan], definitions: [PolicyDefinition], snapshot: PolicySnapshotStamp) {
        self.defaultPlan = defaultPlan
        self.plans = plans
        self.definitions = definitions
        self.snapshot = snapshot
    }
}

/// Sets or clears an override. The target is exactly one of: `project`; `tenant` with
/// `department`; `tenant` alone.
public struct PolicySetRequest: Codable, Sendable, Hashable {
    /// Tenant id or name (with ``department``: the department's tenant).
    public var tenant: String?
    /// Department name in ``tenant``.
    public var department: String?
    /// Project id or `tenant/project`.
    public var project: String?
    /// The value in the policy's type (number, boolean, list of strings, map of numbers);
    /// absent or `null` clears the override.
    public var value: PolicyValue?

    /// Creates the body.
    public init(tenant: String? = nil, department: String? = nil, project: String? = nil, value: PolicyValue?) {
        self.tenant = tenant
        self.department = department
        self.project = project
        self.value = value
    }
}

/// Assigns a plan to a tenant.
public struct PlanAssignment: Codable, Sendable, Hashable {
    /// The plan id (`plan.research`).
    public var plan: String
    /// Creates the body.
    public init(plan: String) { self.plan = plan }
}

/// A department's projects.
public struct DepartmentRequest: Codable, Sendable, Hashable {
    /// Project ids or `tenant/project` names, all in the path's tenant; empty removes the department.
    public var projects: [String]
    /// Creates the body.
    public init(projects: [String]) { self.projects = projects }
}

/// What a policy write made: the new snapshot.
public struct PolicyChange: Codable, Sendable, Hashable {
    /// The new snapshot's id (what later decisions record).
    public var snapshot: String
    /// Its version.
    public var version: Int64
    /// What changed, in words (`quota.gpus = 4 at project/01J…`).
    public var change: String

    /// Creates the answer.
    public init(snapshot: String, version: Int64, change: String) {
        self.snapshot = snapshot
        self.version = version
        self.change = change
    }
}

/// A policy value decodes by trying each kind in turn, which reflection would read as "a
/// boolean": it is a number, a boolean, a list of strings or a map of numbers, by the
/// policy's `type`.
extension PolicyValue: JSONSchemaDescribing {
    public static var jsonSchema: JSONSchema {
        JSONSchema(.any, description: "The value in its policy's type: integer (number), flag (boolean), list (array of strings), "
                   + "integer_map (object of numbers).")
    }
    public static var jsonSchemaSample: PolicyValue { .integer(0) }
}
