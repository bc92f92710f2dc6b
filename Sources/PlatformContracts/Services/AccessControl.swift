/// The outcome of an authorization decision.
public enum AccessDecision: Sendable, Equatable {
    /// Allowed.
    case allow
    /// Denied, with the reason recorded in audit.
    case deny(reason: String)
}

/// An authenticated caller.
public struct Principal: Sendable, Hashable, Codable {
    /// Who.
    public let id: PrincipalID
    /// The tenant the principal belongs to.
    public let tenant: TenantID
    /// Scopes the presented credential carries.
    public let scopes: Set<ScopeID>

    /// Creates a principal.
    public init(id: PrincipalID, tenant: TenantID, scopes: Set<ScopeID>) {
        self.id = id
        self.tenant = tenant
        self.scopes = scopes
    }
}

/// The IAM contract product code calls (implemented by `IAMService`). Fails closed: an
/// implementation that cannot reach its read model throws ``ErrorCode/storeUnavailable``,
/// never allows.
public protocol AccessControl: Sendable {
    /// Resolves a presented API key to a principal.
    func authenticate(apiKey: String) async throws -> Principal
    /// Decides whether `principal` may use `scope` in `project`.
    func authorize(_ principal: Principal, scope: ScopeID, project: ProjectID?) async throws -> AccessDecision
}
