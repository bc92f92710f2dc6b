/// Build and API identity, reported by `/version` and `appctl status`.
public enum PlatformVersion {
    /// The semantic version of this build of `platformd` and `appctl`.
    public static let version = "0.1.0"
    /// The HTTP API version prefix the server speaks.
    public static let apiVersion = "v1"
    /// The Swift compiler that built this binary.
    public static var compiler: String {
        #if compiler(>=6.3)
        "Swift 6.3+"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #else
        "Swift 6"
        #endif
    }
}

/// The `/version` document.
public struct VersionInfo: Sendable, Codable, Equatable {
    /// Name of the component (`platformd`).
    public var name: String
    /// Semantic version.
    public var version: String
    /// HTTP API version.
    public var apiVersion: String
    /// Compiler that built it.
    public var compiler: String
    /// Operating system and architecture.
    public var platform: String
    /// Database backend in use (`sqlite` or `postgres`).
    public var databaseBackend: String
    /// Schema version per module, as applied in the database.
    public var schema: [String: Int]
    /// The id this installation got on its first start; survives restarts.
    public var installationId: String?
    /// When this process started.
    public var startedAt: String
    /// The modules this build registers and what each does today (shells say so);
    /// `nil` from a server that predates the field.
    public var modules: [ModuleDescriptor]?

    /// Creates a version document.
    public init(
        name: String, version: String, apiVersion: String, compiler: String, platform: String,
        databaseBackend: String, schema: [String: Int], installationId: String?, startedAt: String,
        modules: [ModuleDescriptor]? = nil
    ) {
        self.modules = modules
        self.name = name
        self.version = version
        self.apiVersion = apiVersion
        self.compiler = compiler
        self.platform = platform
        self.databaseBackend = databaseBackend
        self.schema = schema
        self.installationId = installationId
        self.startedAt = startedAt
    }
}
