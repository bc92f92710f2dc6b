import HTTPTypes
import PlatformContracts

/// Project secrets. Values are write-only: no endpoint ever answers one; instances get them
/// as files on a tmpfs (and environment variables where the manifest asks), each delivery
/// audited. The master key that wraps every data key rotates without downtime.
extension Endpoints {
    /// A secret of a project.
    public typealias SecretItem = ProjectItemPath<ProjectItems.Secret>

    public static let setSecret = Endpoint<SecretItem, NoQuery, SecretWriteRequest, SecretRecord>(
        .setSecret, in: .secrets, .put, "/v1/projects/\(.project)/secrets/\(.secret)", scope: "secrets:secret:write",
        summary: "Create a secret, or give an existing one a new value (a new version); the answer never carries the value.")
    public static let listSecrets = Endpoint<ProjectPath, NoQuery, NoBody, [SecretRecord]>(
        .listSecrets, in: .secrets, .get, "/v1/projects/\(.project)/secrets", scope: "secrets:secret:read",
        summary: "The project's secrets: name, purpose, version, dates and wrapping key; never values.")
    public static let deleteSecret = Endpoint<SecretItem, NoQuery, NoBody, NoContent>(
        .deleteSecret, in: .secrets, .delete, "/v1/projects/\(.project)/secrets/\(.secret)", scope: "secrets:secret:write",
        summary: "Delete a secret and every version of it; launches that reference it are refused from then on.")
    public static let rotateSecret = Endpoint<SecretItem, NoQuery, SecretWriteRequest, SecretRecord>(
        .rotateSecret, in: .secrets, .post, "/v1/projects/\(.project)/secrets/\(.secret)/rotate", scope: "secrets:secret:write",
        summary: "Rotate an existing secret to a new value (a new version under a fresh data key); new launches get it.")
    public static let rotateSecretMasterKey = Endpoint<NoPath, NoQuery, NoBody, MasterKeyRotation>(
        .rotateSecretMasterKey, in: .secrets, .post, "/v1/secrets/master-key/rotate", scope: "secrets:masterkey:rotate",
        summary: "Re-wrap every data key under the keyring's primary master key (reads keep working throughout).")
}
