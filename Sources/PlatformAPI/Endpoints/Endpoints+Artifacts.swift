import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// A signing key of a project.
    public typealias SigningKeyItem = ProjectItemPath<ProjectItems.Key>
    /// An artifact of a project, by digest.
    public typealias ArtifactItem = ProjectItemPath<ProjectItems.Digest>

    public static let registerSigningKey = Endpoint<ProjectPath, NoQuery, SigningKeyRequest, TrustedKey>(
        .registerSigningKey, in: .artifacts, .post, "/v1/projects/\(.project)/signingkeys", scope: "artifacts:signingkey:manage",
        summary: "Register a signing public key (PEM ECDSA P-256) the project trusts.", status: .created)
    public static let listSigningKeys = Endpoint<ProjectPath, NoQuery, NoBody, [TrustedKey]>(
        .listSigningKeys, in: .artifacts, .get, "/v1/projects/\(.project)/signingkeys", scope: "artifacts:signingkey:read",
        summary: "List the project's signing keys (active, retired, revoked).")
    public static let rotateSigningKey = Endpoint<SigningKeyItem, NoQuery, SigningKeyRequest, TrustedKey>(
        .rotateSigningKey, in: .artifacts, .post, "/v1/projects/\(.project)/signingkeys/\(.key)/rotate", scope: "artifacts:signingkey:manage",
        summary: "Register a successor key and retire this one.", status: .created)
    public static let revokeSigningKey = Endpoint<SigningKeyItem, NoQuery, NoBody, TrustedKey>(
        .revokeSigningKey, in: .artifacts, .post, "/v1/projects/\(.project)/signingkeys/\(.key)/revoke", scope: "artifacts:signingkey:manage",
        summary: "Revoke a signing key: nothing it signed counts any more.")

    public static let listArtifacts = Endpoint<ProjectPath, NoQuery, NoBody, [ArtifactSummary]>(
        .listArtifacts, in: .artifacts, .get, "/v1/projects/\(.project)/artifacts", scope: "artifacts:repository:pull",
        summary: "List the project's artifacts and their trust states.")
    public static let getArtifact = Endpoint<ArtifactItem, NoQuery, NoBody, ArtifactStatus>(
        .getArtifact, in: .artifacts, .get, "/v1/projects/\(.project)/artifacts/\(.digest)", scope: "artifacts:repository:pull",
        summary: "Trust state, signatures, provenance, evidence and gates of one digest.")
    public static let promoteArtifact = Endpoint<ArtifactItem, NoQuery, PromotionRequest, ArtifactStatus>(
        .promoteArtifact, in: .artifacts, .post, "/v1/projects/\(.project)/artifacts/\(.digest)/promote", scope: "artifacts:trust:promote",
        summary: "Move an artifact to a trust state if its gate is met; 409 lists what is missing.")
}
