/// Identifies a tenant (an organisation).
public struct TenantID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ULID text.
    public let rawValue: String
    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The ULID text.
    public var description: String { rawValue }
}

/// Identifies a project inside a tenant.
public struct ProjectID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ULID text.
    public let rawValue: String
    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The ULID text.
    public var description: String { rawValue }
}

/// Identifies a principal: a user or a service account.
public struct PrincipalID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ULID text.
    public let rawValue: String
    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The ULID text.
    public var description: String { rawValue }
}

/// A scope from the scope registry, `product:resource:action` (e.g. `apps:instance:launch`).
public struct ScopeID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The scope text.
    public let rawValue: String
    /// Wraps a scope.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The scope text.
    public var description: String { rawValue }
}
