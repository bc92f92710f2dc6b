/// The Secrets module's contract: runtime secret custody. Products store and deliver secrets
/// only through it; plaintext leaves it only through ``reveal(project:name:instance:correlationId:)``,
/// which is audited, and is never logged, stored unencrypted or answered by the API.
public protocol SecretCustody: Sendable {
    /// Creates a secret or adds a version to an existing one (audited `secrets.secret.set`).
    /// - Throws: ``ErrorCode/secretInvalid`` (name, purpose, value), ``ErrorCode/secretUnavailable``.
    func set(project: String, name: String, purpose: String?, value: [UInt8], actor: String, requestID: String?) async throws -> SecretRecord

    /// Rotates an existing secret to a new value under a fresh data key (audited `secrets.secret.rotate`).
    /// - Throws: ``ErrorCode/secretNotFound``.
    func rotate(project: String, name: String, value: [UInt8], actor: String, requestID: String?) async throws -> SecretRecord

    /// The project's secrets, without values.
    func list(project: String) async throws -> [SecretRecord]

    /// Deletes a secret and its versions (audited `secrets.secret.delete`).
    /// - Throws: ``ErrorCode/secretNotFound``.
    func delete(project: String, name: String, actor: String, requestID: String?) async throws

    /// Re-wraps every data key under the keyring's primary master key (audited `secrets.masterkey.rotate`).
    func rotateMasterKey(actor: String, requestID: String?) async throws -> MasterKeyRotation

    /// The current value, for delivery into `instance` (audited `secrets.secret.read` with the
    /// instance and the launch's correlation id; never the value).
    /// - Throws: ``ErrorCode/secretNotFound``, ``ErrorCode/secretUnavailable`` (fails closed).
    func reveal(project: String, name: String, instance: String, correlationId: String?) async throws -> [UInt8]
}
