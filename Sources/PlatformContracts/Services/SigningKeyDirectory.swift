/// What a registered key may be used for.
public enum KeyPurpose: String, Sendable, Codable {
    /// Verifying artifact signatures.
    case artifactSigning = "artifact-signing"
}

/// A public key registered for a project.
public struct TrustedKey: Sendable, Codable, Hashable {
    /// Stable key id.
    public var id: String
    /// Owning project.
    public var project: ProjectID
    /// What it may verify.
    public var purpose: KeyPurpose
    /// PEM-encoded public key.
    public var publicKeyPEM: String
    /// Revoked keys never verify.
    public var revoked: Bool

    /// Creates a key record.
    public init(id: String, project: ProjectID, purpose: KeyPurpose, publicKeyPEM: String, revoked: Bool) {
        self.id = id
        self.project = project
        self.purpose = purpose
        self.publicKeyPEM = publicKeyPEM
        self.revoked = revoked
    }
}

/// The secrets/PKI contract (implemented by `SecretsService`): private keys never enter it.
public protocol SigningKeyDirectory: Sendable {
    /// Keys a project trusts for a purpose, revoked ones excluded.
    func trustedKeys(project: ProjectID, purpose: KeyPurpose) async throws -> [TrustedKey]
}
