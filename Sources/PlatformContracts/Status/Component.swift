/// What a status component is.
public enum ComponentKind: String, Sendable, Codable, CaseIterable {
    /// A module of the server (iam, audit, artifacts, apps, metering, …).
    case module
    /// A runtime adapter (local, slurm).
    case adapter
    /// Something the server depends on (the database, the blob store, Slurm, SMTP).
    case dependency
}

/// A component's condition, customer-safe (the operator view adds the checks behind it).
public enum ComponentCondition: String, Sendable, Codable, CaseIterable, Comparable {
    case operational
    /// Inside a scheduled maintenance window.
    case maintenance
    /// A check warns, or an open incident says so.
    case degraded
    /// A check fails, or an open major/critical incident says so.
    case outage

    var rank: Int {
        switch self {
        case .operational: 0
        case .maintenance: 1
        case .degraded: 2
        case .outage: 3
        }
    }

    public static func < (lhs: ComponentCondition, rhs: ComponentCondition) -> Bool { lhs.rank < rhs.rank }
}

/// A component as the status board knows it.
public struct ComponentStatus: Sendable, Codable, Equatable {
    /// Stable id: `database`, `blob-store`, `adapter:local`, `module:artifacts`, `slurm`.
    public var id: String
    public var kind: ComponentKind
    public var name: String
    public var condition: ComponentCondition
    /// Since when it has been in this condition (RFC 3339).
    public var since: String
    /// The component's version (the server's for modules, the adapter's or database's own).
    public var version: String?
    /// Operator view only: the health checks behind the condition (`key: status output`).
    public var checks: [String]?
    public init(id: String, kind: ComponentKind, name: String, condition: ComponentCondition, since: String, version: String? = nil,
                checks: [String]? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.condition = condition
        self.since = since
        self.version = version
        self.checks = checks
    }
}

/// One change of a component's condition.
public struct ComponentHistoryEntry: Sendable, Codable, Equatable {
    public var component: String
    public var condition: ComponentCondition
    public var at: String
    /// Why (a check's output on the operator view; the incident's title on the public one).
    public var cause: String
    public init(component: String, condition: ComponentCondition, at: String, cause: String) {
        self.component = component
        self.condition = condition
        self.at = at
        self.cause = cause
    }
}
