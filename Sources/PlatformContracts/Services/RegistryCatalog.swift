/// The eight versioned registries, seeded from files under `manifests/platform/`.
public enum RegistryKind: String, Sendable, Codable, CaseIterable {
    /// Products and their owners.
    case product
    /// `product:resource:action` scopes.
    case scope
    /// Metered units and their integer scales.
    case usageUnit = "usage-unit"
    /// Audit action ids.
    case auditAction = "audit-action"
    /// Notification templates.
    case notificationTemplate = "notification-template"
    /// Evidence types for trust and release gates.
    case evidenceType = "evidence-type"
    /// OCI artifact types the platform accepts.
    case artifactType = "artifact-type"
    /// Policies: quotas and flags.
    case policy
}

/// One entry of a registry.
public struct RegistryEntry: Sendable, Codable, Hashable {
    /// The registry it belongs to.
    public var kind: RegistryKind
    /// Its id inside the registry.
    public var id: String
    /// The registry file version it came from.
    public var registryVersion: Int
    /// `active`, `deprecated` or `retired`.
    public var lifecycle: String

    /// Creates an entry.
    public init(kind: RegistryKind, id: String, registryVersion: Int, lifecycle: String) {
        self.kind = kind
        self.id = id
        self.registryVersion = registryVersion
        self.lifecycle = lifecycle
    }
}

/// The registry contract (implemented by `RegistryService`).
public protocol RegistryCatalog: Sendable {
    /// All entries of one registry.
    func entries(of kind: RegistryKind) async throws -> [RegistryEntry]
}
