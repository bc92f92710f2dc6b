/// A tenant.
public struct Tenant: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    /// Unique name.
    public var name: String
    /// Creation time.
    public var createdAt: String

    /// Creates a tenant value.
    public init(id: String, name: String, createdAt: String) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// A project inside a tenant.
public struct Project: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    /// Owning tenant.
    public var tenantId: String
    /// Name, unique in the tenant.
    public var name: String
    /// Creation time.
    public var createdAt: String

    /// Creates a project value.
    public init(id: String, tenantId: String, name: String, createdAt: String) {
        self.id = id
        self.tenantId = tenantId
        self.name = name
        self.createdAt = createdAt
    }
}

/// A service account: a non-human principal with a role in one project, or tenant-wide.
public struct ServiceAccount: Sendable, Codable, Equatable {
    /// Principal id (ULID).
    public var id: String
    /// Owning tenant; `nil` for a platform-wide account (`platform-control`, `security-owner`;
    /// its keys are platform-wide).
    public var tenantId: String?
    /// The project it works in; `nil` for a tenant-wide account (its keys bind to the tenant).
    public var projectId: String?
    /// Name, unique in the tenant.
    public var name: String
    /// Its role in the project.
    public var role: String
    /// Creation time.
    public var createdAt: String

    /// Creates a service account value.
    public init(id: String, tenantId: String?, projectId: String?, name: String, role: String, createdAt: String) {
        self.id = id
        self.tenantId = tenantId
        self.projectId = projectId
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }
}

/// An API key as listed: never the secret.
public struct APIKeyInfo: Sendable, Codable, Equatable {
    /// Public lookup id.
    public var id: String
    /// Whose key.
    public var principalId: String
    /// Tenant it is bound to (nil for a platform-wide key).
    public var tenantId: String?
    /// Project it is bound to (nil for a tenant- or platform-wide key).
    public var projectId: String?
    /// Its scopes, sorted.
    public var scopes: [String]
    /// Creation time.
    public var createdAt: String
    /// When it stops working.
    public var expiresAt: String
    /// When it was revoked, if it was.
    public var revokedAt: String?
    /// The key that replaced it on rotation, if any.
    public var replacedBy: String?
    /// The scope registry version it was created under.
    public var registryVersion: Int

    /// Creates a key description.
    public init(id: String, principalId: String, tenantId: String?, projectId: String?, scopes: [String], createdAt: String,
                expiresAt: String, revokedAt: String?, replacedBy: String?, registryVersion: Int) {
        self.id = id
        self.principalId = principalId
        self.tenantId = tenantId
        self.projectId = projectId
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.replacedBy = replacedBy
        self.registryVersion = registryVersion
    }
}

/// A key just issued: the only time its text is shown.
public struct IssuedKey: Sendable, Codable, Equatable {
    /// The full key text; store it now, it cannot be shown again.
    public var key: String
    /// Its description.
    public var info: APIKeyInfo

    /// Creates an issued key.
    public init(key: String, info: APIKeyInfo) {
        self.key = key
        self.info = info
    }
}

/// Who is calling, as established by authentication.
public struct Caller: Sendable, Codable, Equatable {
    /// The principal.
    public var principalId: String
    /// The principal's name.
    public var principalName: String
    /// `user` or `service_account`.
    public var principalKind: String
    /// The key used.
    public var keyId: String
    /// Tenant the key is bound to; nil for a platform-wide key.
    public var tenantId: String?
    /// Project the key is bound to; nil for a tenant- or platform-wide key.
    public var projectId: String?
    /// The key's scopes.
    public var scopes: [String]
    /// When the key expires.
    public var expiresAt: String

    /// Creates a caller.
    public init(principalId: String, principalName: String, principalKind: String, keyId: String, tenantId: String?,
                projectId: String?, scopes: [String], expiresAt: String) {
        self.principalId = principalId
        self.principalName = principalName
        self.principalKind = principalKind
        self.keyId = keyId
        self.tenantId = tenantId
        self.projectId = projectId
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

/// What a key is to be bound to and may do.
public struct KeyRequest: Sendable, Codable, Equatable {
    /// The service account (id or name) that gets the key.
    public var serviceAccount: String
    /// Scopes, a subset of the account's.
    public var scopes: [String]
    /// Lifetime in seconds; mandatory, at most the server's maximum.
    public var expiresInSeconds: Int64

    /// Creates a request.
    public init(serviceAccount: String, scopes: [String], expiresInSeconds: Int64) {
        self.serviceAccount = serviceAccount
        self.scopes = scopes
        self.expiresInSeconds = expiresInSeconds
    }
}
