/// `PUT /v1/projects/{project}/secrets/{secret}` and `POST …/rotate`: the value, once. It
/// travels base64-encoded so binary values (keys, certificates) survive JSON.
public struct SecretWriteRequest: Sendable, Codable, Equatable {
    /// The value, base64 (standard alphabet, padded); at most 64 KiB once decoded.
    public var valueBase64: String
    /// A purpose from the secret-purpose registry (`app-runtime`, …); required when creating,
    /// ignored on rotation (a secret keeps its purpose).
    public var purpose: String?

    /// Creates a request.
    public init(valueBase64: String, purpose: String? = nil) {
        self.valueBase64 = valueBase64
        self.purpose = purpose
    }
}

/// A secret as the API shows it: everything but the value.
public struct SecretRecord: Sendable, Codable, Equatable {
    /// The name, unique in the project.
    public var name: String
    /// The project id.
    public var project: String
    /// The registered purpose.
    public var purpose: String
    /// The current version (1 when created; each rotation adds one).
    public var version: Int
    /// The master key wrapping the current version's data key.
    public var masterKeyId: String
    /// When created and last changed (RFC 3339).
    public var createdAt: String
    public var updatedAt: String
    /// Who created it and who set the current version.
    public var createdBy: String
    public var updatedBy: String

    /// Creates a record.
    public init(name: String, project: String, purpose: String, version: Int, masterKeyId: String, createdAt: String, updatedAt: String,
                createdBy: String, updatedBy: String) {
        self.name = name
        self.project = project
        self.purpose = purpose
        self.version = version
        self.masterKeyId = masterKeyId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.updatedBy = updatedBy
    }
}

/// What a master-key rotation did.
public struct MasterKeyRotation: Sendable, Codable, Equatable {
    /// The keyring's primary key, which now wraps every data key.
    public var primaryKeyId: String
    /// Data keys re-wrapped by this call.
    public var rewrapped: Int
    /// Data keys already under the primary.
    public var alreadyCurrent: Int

    /// Creates a report.
    public init(primaryKeyId: String, rewrapped: Int, alreadyCurrent: Int) {
        self.primaryKeyId = primaryKeyId
        self.rewrapped = rewrapped
        self.alreadyCurrent = alreadyCurrent
    }
}
