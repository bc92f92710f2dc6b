/// One scope of the scope registry (`manifests/platform/scopes.yaml`).
public struct ScopeDefinition: Sendable, Codable, Hashable {
    /// `product:resource:action`.
    public var scopeId: String
    /// Owning product.
    public var productId: String
    /// Version of the scope's definition.
    public var version: Int
    /// What it allows.
    public var description: String
    /// `active`, `deprecated` or `retired`.
    public var lifecycle: String
    /// `low`, `medium` or `high`.
    public var riskClass: String

    enum CodingKeys: String, CodingKey {
        case scopeId = "scope_id", productId = "product_id", version, description, lifecycle, riskClass = "risk_class"
    }
}

/// A named set of scopes.
public struct RoleDefinition: Sendable, Codable, Hashable {
    /// The role's id (`project-admin`).
    public var roleId: String
    /// What it is for.
    public var description: String
    /// Its scopes.
    public var scopes: [String]

    enum CodingKeys: String, CodingKey {
        case roleId = "role_id", description, scopes
    }
}

/// The scope registry file.
public struct ScopeRegistry: Sendable, Codable, Equatable {
    /// Always `scope`.
    public var registry: String
    /// The file's version; keys record the version they were created under.
    public var version: Int
    /// Every scope.
    public var scopes: [ScopeDefinition]
    /// Every role.
    public var roles: [RoleDefinition]

    /// Whether `scope` is a registered, non-retired scope.
    public func isKnown(_ scope: String) -> Bool {
        scopes.contains { $0.scopeId == scope && $0.lifecycle != "retired" }
    }

    /// The scopes of a role; empty for an unknown role.
    public func scopes(ofRole role: String) -> Set<String> {
        Set(roles.first { $0.roleId == role }?.scopes ?? []).filter(isKnown)
    }
}

/// One action of the audit-action registry (`manifests/platform/audit-actions.yaml`).
public struct AuditActionDefinition: Sendable, Codable, Hashable {
    /// `product.resource.verb`.
    public var actionId: String
    /// Owning product.
    public var productId: String
    /// What happened.
    public var description: String
    /// Whether the action is a privileged mutation (fails closed without audit).
    public var privileged: Bool

    enum CodingKeys: String, CodingKey {
        case actionId = "action_id", productId = "product_id", description, privileged
    }
}

/// The audit-action registry file.
public struct AuditActionRegistry: Sendable, Codable, Equatable {
    /// Always `audit-action`.
    public var registry: String
    /// The file's version.
    public var version: Int
    /// Every action.
    public var actions: [AuditActionDefinition]

    /// Whether `action` is registered.
    public func isKnown(_ action: String) -> Bool {
        actions.contains { $0.actionId == action }
    }
}
