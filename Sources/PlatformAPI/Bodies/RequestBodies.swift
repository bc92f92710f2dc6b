import PlatformContracts

/// `{"name": …}`: creates a tenant or a project.
public struct NameRequest: Codable, Sendable, Hashable {
    /// A lowercase DNS-label name (`[a-z0-9][a-z0-9-]{0,62}`).
    public var name: String
    /// Creates the body.
    public init(name: String) { self.name = name }
}

/// Creates a service account with one role.
public struct ServiceAccountRequest: Codable, Sendable, Hashable {
    /// A lowercase DNS-label name.
    public var name: String
    /// A role of the role registry (`developer`, `viewer`, …).
    public var role: String
    /// Creates the body.
    public init(name: String, role: String) { self.name = name; self.role = role }
}

/// Rotates an API key: the old one stays valid for the overlap.
public struct RotateKeyRequest: Codable, Sendable, Hashable {
    /// Seconds both keys work (default 3600).
    public var overlapSeconds: Int64?
    /// Creates the body.
    public init(overlapSeconds: Int64? = nil) { self.overlapSeconds = overlapSeconds }
}

/// Registers an app version: the manifest's YAML text (the server validates it again).
public struct AppRegistration: Codable, Sendable, Hashable {
    /// The file name diagnostics refer to (default `manifest.yaml`).
    public var file: String?
    /// The manifest's YAML text.
    public var manifest: String
    /// Creates the body.
    public init(file: String? = nil, manifest: String) { self.file = file; self.manifest = manifest }
}

/// Moves an artifact to a trust state.
public struct PromotionRequest: Codable, Sendable, Hashable {
    /// The target state.
    public var to: TrustState
    /// Creates the body.
    public init(to: TrustState) { self.to = to }
}
