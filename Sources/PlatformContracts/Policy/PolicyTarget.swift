/// The levels a value resolves through, lowest precedence first.
public enum PolicyLevel: String, Sendable, Codable, CaseIterable, Comparable {
    /// The registry's `default`.
    case registryDefault = "default"
    /// The plan assigned to the tenant (or the server's default plan).
    case plan
    /// The tenant (the seed's organization).
    case tenant
    /// A department: a named group of projects inside a tenant.
    case department
    /// The project itself.
    case project

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Orders by precedence.
    public static func < (lhs: PolicyLevel, rhs: PolicyLevel) -> Bool { lhs.rank < rhs.rank }
}

/// Where an override is set.
public enum PolicyTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A tenant, by id.
    case tenant(String)
    /// A department of a tenant, by tenant id and department name.
    case department(tenant: String, name: String)
    /// A project, by id.
    case project(String)

    /// The level this target overrides at.
    public var level: PolicyLevel {
        switch self {
        case .tenant: .tenant
        case .department: .department
        case .project: .project
        }
    }

    /// `tenant/<id>`, `department/<tenant>/<name>`, `project/<id>` (how audit records name it).
    public var description: String {
        switch self {
        case .tenant(let id): "tenant/\(id)"
        case .department(let tenant, let name): "department/\(tenant)/\(name)"
        case .project(let id): "project/\(id)"
        }
    }
}

/// One override: a value set for a key at a target.
public struct PolicyOverride: Sendable, Hashable, Codable {
    /// The target.
    public var target: PolicyTarget
    /// The policy key.
    public var key: String
    /// The value.
    public var value: PolicyValue

    /// Creates an override.
    public init(target: PolicyTarget, key: String, value: PolicyValue) {
        self.target = target
        self.key = key
        self.value = value
    }
}
