/// One registered version of an app in a project's catalog. Versions are immutable.
public struct AppVersion: Sendable, Codable, Equatable {
    /// Owning project.
    public var projectId: String
    /// `metadata.name`.
    public var name: String
    /// `metadata.version`.
    public var version: String
    /// `sha256:` of the manifest bytes as registered.
    public var digest: String
    /// Who registered it.
    public var registeredBy: String
    /// When.
    public var registeredAt: String
    /// Registry versions the manifest was validated against, by kind.
    public var registryVersions: [String: Int]
    /// The manifest text.
    public var manifest: String

    /// Creates a value.
    public init(projectId: String, name: String, version: String, digest: String, registeredBy: String, registeredAt: String,
                registryVersions: [String: Int], manifest: String) {
        self.projectId = projectId
        self.name = name
        self.version = version
        self.digest = digest
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
        self.registryVersions = registryVersions
        self.manifest = manifest
    }
}
