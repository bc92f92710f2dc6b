/// What a registered key may be used for.
public enum KeyPurpose: String, Sendable, Codable, CaseIterable {
    /// Verifying artifact signatures and signed evidence.
    case artifactSigning = "artifact-signing"
}

/// Where a signing key stands.
public enum SigningKeyStatus: String, Sendable, Codable, CaseIterable {
    /// Verifies signatures; new signatures should use it.
    case active
    /// Replaced by a rotation: signatures it made still verify, new ones should use its successor.
    case retired
    /// Never verifies again; signatures it made no longer count.
    case revoked
}

/// A public key a project trusts (the private key never reaches the platform).
public struct TrustedKey: Sendable, Codable, Hashable {
    /// `sha256:<hex of the DER SubjectPublicKeyInfo>`: the same key always has the same id.
    public var id: String
    /// Owning project.
    public var projectId: String
    /// A name for people (`ci-signer`).
    public var name: String
    /// What it may verify.
    public var purpose: KeyPurpose
    /// PEM `PUBLIC KEY` (ECDSA P-256).
    public var publicKeyPEM: String
    /// Active, retired or revoked.
    public var status: SigningKeyStatus
    /// Registration time (RFC 3339).
    public var createdAt: String
    /// Who registered it.
    public var createdBy: String
    /// When it was revoked, if it was.
    public var revokedAt: String?
    /// The key that replaced it, if it was rotated.
    public var replacedBy: String?

    /// Creates a key record.
    public init(id: String, projectId: String, name: String, purpose: KeyPurpose, publicKeyPEM: String, status: SigningKeyStatus,
                createdAt: String, createdBy: String, revokedAt: String? = nil, replacedBy: String? = nil) {
        self.id = id
        self.projectId = projectId
        self.name = name
        self.purpose = purpose
        self.publicKeyPEM = publicKeyPEM
        self.status = status
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.replacedBy = replacedBy
    }
}

/// A request to register a signing public key.
public struct SigningKeyRequest: Sendable, Codable {
    /// A name for people.
    public var name: String
    /// Defaults to `artifact-signing`.
    public var purpose: KeyPurpose?
    /// PEM `PUBLIC KEY`.
    public var publicKeyPEM: String

    /// Creates a request.
    public init(name: String, purpose: KeyPurpose? = nil, publicKeyPEM: String) {
        self.name = name
        self.purpose = purpose
        self.publicKeyPEM = publicKeyPEM
    }
}

/// The secrets/PKI contract (implemented by `SecretsService`): per-project trusted public
/// keys; private keys never enter it. Every mutation is audited in its transaction.
public protocol SigningKeyDirectory: Sendable {
    /// Every key of a project for a purpose, revoked ones included (so a verifier can tell
    /// "revoked" from "unknown"). No reach check: for the platform's own verifiers.
    func keys(project: String, purpose: KeyPurpose) async throws -> [TrustedKey]
    /// Keys of a project the request resolved for its caller (the edge checked the reach).
    func keys(in project: Project) async throws -> [TrustedKey]
    /// Registers a public key; ``ErrorCode/signingKeyInvalid`` unless it is PEM ECDSA P-256,
    /// ``ErrorCode/signingKeyExists`` when the project already has it.
    func register(in project: Project, _ request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey
    /// Registers a successor and retires the old key (its earlier signatures keep verifying).
    func rotate(in project: Project, id: String, to request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey
    /// Revokes a key now: nothing it signed counts any more.
    func revoke(in project: Project, id: String, by caller: Caller, requestID: String?) async throws -> TrustedKey
}
