import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

extension SecretStore {
    /// Re-wraps every data key under the keyring's primary master key, without downtime:
    /// the keyring is re-read first (a file source), then data keys wrapped by any other key
    /// are re-wrapped in batches of ``rotationBatchSize``, each batch one transaction. Reads
    /// keep working throughout: every row names the key that wraps it and the keyring holds
    /// both until the operator drops the old key (after this call reports every key current).
    /// A row whose wrap does not open under the keyring stops the rotation with
    /// ``ErrorCode/secretUnavailable``; the batches before it stay committed.
    public func rotateMasterKey(actor: String, requestID: String?) async throws -> MasterKeyRotation {
        let keyring = try keys.keyring.reloaded()
        keys.replace(keyring)
        let primary = keyring.primary
        var rewrapped = 0
        while true {
            let count = try await store.transaction { db in
                let rows = try await db.select().columns("project_id", "name", "version", "ciphertext", "wrapped_key", "master_key_id")
                    .from("secrets_versions").where("master_key_id", .notEqual, primary.id)
                    .orderBy("project_id").orderBy("name").orderBy("version").limit(rotationBatchSize).all()
                for row in rows {
                    let binding = SecretEnvelope.Binding(
                        project: try row.decode(column: "project_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                        version: try row.decode(column: "version", as: Int.self))
                    let old = try Self.envelope(from: row)
                    let new = try old.rewrapped(binding: binding, keyring: keyring, under: primary)
                    // Guarded by the old key id: a concurrent rotation's row is left as it made it.
                    try await db.update("secrets_versions")
                        .set("wrapped_key", to: Data(new.wrappedKey).base64EncodedString()).set("master_key_id", to: new.masterKeyId)
                        .where("project_id", .equal, binding.project).where("name", .equal, binding.name)
                        .where("version", .equal, binding.version).where("master_key_id", .equal, old.masterKeyId).run()
                }
                return rows.count
            }
            rewrapped += count
            if count > 0 { await onRotationBatch?(rewrapped) }
            if count < rotationBatchSize { break }
        }
        let total = try await store.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM secrets_versions").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let report = MasterKeyRotation(primaryKeyId: primary.id, rewrapped: rewrapped, alreadyCurrent: max(0, total - rewrapped))
        try await store.transaction { db in
            try await audit.append(
                AuditEvent(actor: PrincipalID(actor), action: "secrets.masterkey.rotate", target: "secrets/master-key", outcome: .success,
                           requestID: requestID, details: ["primary": primary.id, "rewrapped": String(report.rewrapped),
                                                           "keys": String(keyring.keys.count)]),
                tenant: nil, in: db)
        }
        logger.info("secrets master key rotated", metadata: ["primary": "\(primary.id)", "rewrapped": "\(report.rewrapped)"])
        return report
    }
}
