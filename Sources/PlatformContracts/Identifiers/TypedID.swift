/// Marks what a ``TypedID`` identifies, so a project id can never be passed as a tenant id.
public protocol IdentifierKind: Sendable {}

/// A string identifier tagged with the kind of thing it names; encodes as a bare string.
///
/// ```swift
/// let project = ProjectID("01JDX9Y3N4…")
/// ```
public struct TypedID<Kind: IdentifierKind>: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The id text (a ULID for platform-made ids).
    public let rawValue: String

    /// Wraps an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The id text.
    public var description: String { rawValue }

    /// Decodes from a JSON string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Tenants (organisations).
public enum TenantKind: IdentifierKind {}
/// Projects inside a tenant.
public enum ProjectKind: IdentifierKind {}
/// Principals: users and service accounts.
public enum PrincipalKind: IdentifierKind {}
/// Scopes from the scope registry, `product:resource:action` (e.g. `apps:instance:launch`).
public enum ScopeKind: IdentifierKind {}

/// Identifies a tenant.
public typealias TenantID = TypedID<TenantKind>
/// Identifies a project.
public typealias ProjectID = TypedID<ProjectKind>
/// Identifies a principal.
public typealias PrincipalID = TypedID<PrincipalKind>
/// A scope id.
public typealias ScopeID = TypedID<ScopeKind>
