/// Whether a platform catalog version may still be launched.
public enum CatalogEntryState: String, Sendable, Codable, CaseIterable {
    /// Offered: tenants launch it (the newest current version is the default).
    case current
    /// Withdrawn for new launches (running instances keep running); a launch asking for it is
    /// refused with ``ErrorCode/catalogVersionDeprecated`` and the deprecation's message.
    case deprecated
}

/// Why and by whom a catalog version was deprecated.
public struct CatalogDeprecation: Sendable, Codable, Equatable {
    /// What tenants read when a launch of this version is refused.
    public var message: String
    /// The version to launch instead, if any.
    public var replacement: String?
    /// The platform-control principal that deprecated it.
    public var deprecatedBy: String
    /// When (RFC 3339).
    public var deprecatedAt: String

    /// Creates a value.
    public init(message: String, replacement: String?, deprecatedBy: String, deprecatedAt: String) {
        self.message = message
        self.replacement = replacement
        self.deprecatedBy = deprecatedBy
        self.deprecatedAt = deprecatedAt
    }
}

/// One version of an app in the platform-wide curated catalog, which every tenant lists and
/// launches into its own project. Publishing pins both the registered manifest and the image
/// by digest, so what a tenant launches is what platform control vetted, whatever is pushed
/// to the source project's tags afterwards.
public struct CatalogEntry: Sendable, Codable, Equatable {
    /// `metadata.name`.
    public var app: String
    /// `metadata.version`.
    public var version: String
    /// The manifest's `metadata.description`, for listings.
    public var description: String?
    /// `current` or `deprecated`.
    public var state: CatalogEntryState
    /// The platform-owned project the app and its image were published from: its registry
    /// repository holds the image, and its trust ledger decides the image's trust.
    public var sourceProjectId: String
    /// That project's tenant.
    public var sourceTenantId: String
    /// `sha256:` of the registered manifest bytes, pinned at publish time.
    public var manifestDigest: String
    /// The registry repository of the image (`<project>/<name>`).
    public var repository: String
    /// The image's manifest digest, pinned at publish time.
    public var imageDigest: String
    /// The trust state the image held when published (it satisfied the manifest's `requiredTrust`).
    public var trustAtPublish: String
    /// The platform-control principal that published it.
    public var publishedBy: String
    /// When (RFC 3339).
    public var publishedAt: String
    /// Set once deprecated.
    public var deprecation: CatalogDeprecation?

    /// Creates a value.
    public init(app: String, version: String, description: String?, state: CatalogEntryState, sourceProjectId: String,
                sourceTenantId: String, manifestDigest: String, repository: String, imageDigest: String, trustAtPublish: String,
                publishedBy: String, publishedAt: String, deprecation: CatalogDeprecation? = nil) {
        self.app = app
        self.version = version
        self.description = description
        self.state = state
        self.sourceProjectId = sourceProjectId
        self.sourceTenantId = sourceTenantId
        self.manifestDigest = manifestDigest
        self.repository = repository
        self.imageDigest = imageDigest
        self.trustAtPublish = trustAtPublish
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.deprecation = deprecation
    }
}

/// `POST /v1/projects/{project}/catalog`: publish one of the project's registered app
/// versions into the platform catalog.
public struct CatalogPublishRequest: Sendable, Codable, Equatable {
    /// The registered app's name.
    public var app: String
    /// The registered version.
    public var version: String

    /// Creates a request.
    public init(app: String, version: String) {
        self.app = app
        self.version = version
    }
}

/// `POST /v1/catalog/deprecations`: withdraw a catalog version from new launches.
public struct CatalogDeprecationRequest: Sendable, Codable, Equatable {
    /// The app's name.
    public var app: String
    /// The version to deprecate.
    public var version: String
    /// What a refused launch tells the tenant (free text).
    public var message: String
    /// The version to use instead; it must be a current catalog version of the same app.
    public var replacement: String?

    /// Creates a request.
    public init(app: String, version: String, message: String, replacement: String? = nil) {
        self.app = app
        self.version = version
        self.message = message
        self.replacement = replacement
    }
}

extension CatalogPublishRequest: TextValidated {
    /// App and version are identifiers.
    public func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(app, field: "app")
        try TextPolicy.requireIdentifier(version, field: "version")
    }
}

extension CatalogDeprecationRequest: TextValidated {
    /// App, version and replacement are identifiers; the message is free text.
    public func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(app, field: "app")
        try TextPolicy.requireIdentifier(version, field: "version")
        if let replacement { try TextPolicy.requireIdentifier(replacement, field: "replacement") }
        try TextPolicy.requireFreeText(message, field: "message")
    }
}
