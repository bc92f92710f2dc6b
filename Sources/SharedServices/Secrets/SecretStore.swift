import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// ``SecretCustody`` over the SQL store: per-project secrets, each with a registered
/// purpose and numbered versions, every version sealed under its own data key
/// (``SecretEnvelope``) wrapped by the keyring's primary master key.
///
/// Values enter through ``set(project:name:purpose:value:actor:requestID:)`` and
/// ``rotate(project:name:value:actor:requestID:)`` and leave only through
/// ``reveal(project:name:instance:correlationId:)``; no record, audit detail, log line or error
/// message carries one. Every change and every reveal writes its audit record in the same
/// transaction as the rows it read or wrote.
public struct SecretStore: SecretCustody {
    let store: SQLStore
    let audit: any TransactionalAuditing
    let purposes: SecretPurposeRegistry
    let keys: KeyringBox
    let logger: Logger
    /// The tenant owning a project, for the audit record's tenant (the composition root
    /// answers it from IAM; `nil` records none).
    var tenantOf: (@Sendable (String) async -> String?)?
    /// Data keys re-wrapped per transaction during a master-key rotation.
    public var rotationBatchSize = 100
    /// Called after each rotation batch commits (tests read during a rotation through it).
    var onRotationBatch: (@Sendable (Int) async -> Void)?

    /// The largest value, decoded (64 KiB).
    public static let maximumValueBytes = 65_536

    /// Creates the store.
    /// - Parameter tenantOf: The tenant of a project id, for audit records.
    public init(store: SQLStore, audit: any TransactionalAuditing, purposes: SecretPurposeRegistry, keyring: MasterKeyring, logger: Logger,
                tenantOf: (@Sendable (String) async -> String?)? = nil) {
        self.store = store
        self.audit = audit
        self.purposes = purposes
        self.keys = KeyringBox(keyring)
        self.logger = logger
        self.tenantOf = tenantOf
    }

    /// The keyring in use now.
    public var keyring: MasterKeyring { keys.keyring }

    public func set(project: String, name: String, purpose: String?, value: [UInt8], actor: String, requestID: String?) async throws
        -> SecretRecord
    {
        try Self.check(name: name)
        try Self.check(value: value)
        let keyring = keys.keyring
        let tenant = await tenantOf?(project)
        return try await store.transaction { db in
            let now = Timestamp.now().rfc3339
            var record: SecretRecord
            if var existing = try await row(project: project, name: name, db) {
                if let purpose, purpose != existing.purpose {
                    throw PlatformError(.secretInvalid, "secret \(name) has purpose \(existing.purpose); a secret keeps its purpose (delete and set it again to change it)")
                }
                existing.version = try await nextVersion(project: project, name: name, now: now, actor: actor, db)
                existing.updatedAt = now
                existing.updatedBy = actor
                record = existing
            } else {
                let purpose = try checkedPurpose(purpose)
                record = SecretRecord(name: name, project: project, purpose: purpose, version: 1, masterKeyId: keyring.primary.id,
                                      createdAt: now, updatedAt: now, createdBy: actor, updatedBy: actor)
                try await db.insert(into: "secrets_secrets")
                    .columns("project_id", "name", "purpose", "current_version", "created_at", "updated_at", "created_by", "updated_by")
                    .values(SQLBind(project), SQLBind(name), SQLBind(purpose), SQLBind(1), SQLBind(now), SQLBind(now), SQLBind(actor), SQLBind(actor))
                    .run()
            }
            record.masterKeyId = try await insertVersion(record, value: value, keyring: keyring, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(actor), action: "secrets.secret.set", target: "secret/\(project)/\(name)", outcome: .success,
                           requestID: requestID, details: ["version": String(record.version), "purpose": record.purpose,
                                                           "masterKey": record.masterKeyId], project: project),
                tenant: tenant, in: db)
            return record
        }
    }

    public func rotate(project: String, name: String, value: [UInt8], actor: String, requestID: String?) async throws -> SecretRecord {
        try Self.check(name: name)
        try Self.check(value: value)
        let keyring = keys.keyring
        let tenant = await tenantOf?(project)
        return try await store.transaction { db in
            guard var record = try await row(project: project, name: name, db) else {
                throw PlatformError(.secretNotFound, "no secret \(name) in project \(project)")
            }
            let now = Timestamp.now().rfc3339
            record.version = try await nextVersion(project: project, name: name, now: now, actor: actor, db)
            record.updatedAt = now
            record.updatedBy = actor
            record.masterKeyId = try await insertVersion(record, value: value, keyring: keyring, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(actor), action: "secrets.secret.rotate", target: "secret/\(project)/\(name)", outcome: .success,
                           requestID: requestID, details: ["version": String(record.version), "masterKey": record.masterKeyId], project: project),
                tenant: tenant, in: db)
            return record
        }
    }

    public func list(project: String) async throws -> [SecretRecord] {
        try await store.read { db in
            try await db.raw("""
                SELECT s.project_id, s.name, s.purpose, s.current_version, s.created_at, s.updated_at, s.created_by, s.updated_by,
                       v.master_key_id
                FROM secrets_secrets s JOIN secrets_versions v
                  ON v.project_id = s.project_id AND v.name = s.name AND v.version = s.current_version
                WHERE s.project_id = \(bind: project) ORDER BY s.name
                """).all().map(Self.record(from:))
        }
    }

    public func delete(project: String, name: String, actor: String, requestID: String?) async throws {
        try Self.check(name: name)
        let tenant = await tenantOf?(project)
        try await store.transaction { db in
            guard let record = try await row(project: project, name: name, db) else {
                throw PlatformError(.secretNotFound, "no secret \(name) in project \(project)")
            }
            try await db.delete(from: "secrets_versions").where("project_id", .equal, project).where("name", .equal, name).run()
            try await db.delete(from: "secrets_secrets").where("project_id", .equal, project).where("name", .equal, name).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(actor), action: "secrets.secret.delete", target: "secret/\(project)/\(name)", outcome: .success,
                           requestID: requestID, details: ["versions": String(record.version), "purpose": record.purpose], project: project),
                tenant: tenant, in: db)
        }
    }

    public func reveal(project: String, name: String, instance: String, correlationId: String?) async throws -> [UInt8] {
        try Self.check(name: name)
        let keyring = keys.keyring
        let tenant = await tenantOf?(project)
        let target = "secret/\(project)/\(name)"
        do {
            return try await store.transaction { db in
                guard let record = try await row(project: project, name: name, db) else {
                    throw PlatformError(.secretNotFound, "no secret \(name) in project \(project)")
                }
                guard purposes.purpose(record.purpose)?.runtimeDelivery ?? false else {
                    throw PlatformError(.secretInvalid, "secret \(name) has purpose \(record.purpose), which is never delivered into instances")
                }
                let (envelope, binding) = try await envelope(project: project, name: name, version: record.version, db)
                let value = try envelope.open(binding: binding, keyring: keyring)
                try await audit.append(
                    AuditEvent(actor: PrincipalID("platformd"), action: "secrets.secret.read", target: target, outcome: .success,
                               requestID: correlationId, details: ["instance": instance, "version": String(record.version)], project: project),
                    tenant: tenant, in: db)
                return value
            }
        } catch let error as PlatformError where error.code == .secretUnavailable {
            // Fails closed, and says so in the audit log (the message names keys and versions, never a value).
            logger.error("secret delivery refused", metadata: ["secret": "\(target)", "instance": "\(instance)", "error": "\(error.message)"])
            _ = try? await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID("platformd"), action: "secrets.secret.read", target: target, outcome: .failure,
                               requestID: correlationId, details: ["instance": instance, "reason": error.message], project: project),
                    tenant: tenant, in: db)
            }
            throw error
        }
    }
}

extension SecretStore {
    /// Refuses a name a manifest reference could not name.
    static func check(name: String) throws(PlatformError) {
        guard SecretName.isValid(name) else {
            throw PlatformError(.secretInvalid, "a secret name is 1 to 63 lowercase letters, digits and dashes (secret://<project>/<name>)")
        }
    }

    /// Refuses an empty or oversized value (the message gives sizes only).
    static func check(value: [UInt8]) throws(PlatformError) {
        guard !value.isEmpty else { throw PlatformError(.secretInvalid, "a secret value cannot be empty") }
        guard value.count <= maximumValueBytes else {
            throw PlatformError(.secretInvalid, "a secret value is at most \(maximumValueBytes) bytes; this one is \(value.count)")
        }
    }

    /// A registered purpose (required when creating).
    func checkedPurpose(_ purpose: String?) throws(PlatformError) -> String {
        guard let purpose else {
            throw PlatformError(.secretInvalid, "a new secret needs a purpose: \(purposes.purposes.map(\.purposeId).joined(separator: ", "))")
        }
        guard self.purposes.purpose(purpose) != nil else {
            throw PlatformError(.secretInvalid, "purpose \(purpose) is not in \(SecretPurposeRegistry.fileName) (\(purposes.purposes.map(\.purposeId).joined(separator: ", ")))")
        }
        return purpose
    }

    /// Takes the next version number (the update serialises concurrent writers of one secret).
    func nextVersion(project: String, name: String, now: String, actor: String, _ db: any SQLDatabase) async throws -> Int {
        guard let row = try await db.raw("""
            UPDATE secrets_secrets SET current_version = current_version + 1, updated_at = \(bind: now), updated_by = \(bind: actor)
            WHERE project_id = \(bind: project) AND name = \(bind: name) RETURNING current_version
            """).first() else { throw PlatformError(.secretNotFound, "no secret \(name) in project \(project)") }
        return try row.decode(column: "current_version", as: Int.self)
    }

    /// Seals and inserts the record's current version; returns the wrapping key's id.
    func insertVersion(_ record: SecretRecord, value: [UInt8], keyring: MasterKeyring, _ db: any SQLDatabase) async throws -> String {
        let binding = SecretEnvelope.Binding(project: record.project, name: record.name, version: record.version)
        let envelope = try SecretEnvelope.seal(value, binding: binding, master: keyring.primary)
        try await db.insert(into: "secrets_versions")
            .columns("project_id", "name", "version", "ciphertext", "wrapped_key", "master_key_id", "created_at", "created_by")
            .values(SQLBind(record.project), SQLBind(record.name), SQLBind(record.version),
                    SQLBind(Data(envelope.ciphertext).base64EncodedString()), SQLBind(Data(envelope.wrappedKey).base64EncodedString()),
                    SQLBind(envelope.masterKeyId), SQLBind(record.updatedAt), SQLBind(record.updatedBy))
            .run()
        return envelope.masterKeyId
    }

    /// One version's envelope.
    func envelope(project: String, name: String, version: Int, _ db: any SQLDatabase) async throws
        -> (SecretEnvelope, SecretEnvelope.Binding)
    {
        guard let row = try await db.select().columns("ciphertext", "wrapped_key", "master_key_id").from("secrets_versions")
            .where("project_id", .equal, project).where("name", .equal, name).where("version", .equal, version).first() else {
            throw PlatformError(.secretUnavailable, "secret \(name) has no stored version \(version)")
        }
        return (try Self.envelope(from: row), SecretEnvelope.Binding(project: project, name: name, version: version))
    }

    static func envelope(from row: any SQLRow) throws -> SecretEnvelope {
        guard let ciphertext = Data(base64Encoded: try row.decode(column: "ciphertext", as: String.self)),
              let wrapped = Data(base64Encoded: try row.decode(column: "wrapped_key", as: String.self)) else {
            throw PlatformError(.secretUnavailable, "a stored secret version is not base64")
        }
        return SecretEnvelope(ciphertext: Array(ciphertext), wrappedKey: Array(wrapped),
                              masterKeyId: try row.decode(column: "master_key_id", as: String.self))
    }

    /// The secret's record (its current version's wrapping key included), if it exists.
    func row(project: String, name: String, _ db: any SQLDatabase) async throws -> SecretRecord? {
        try await db.raw("""
            SELECT s.project_id, s.name, s.purpose, s.current_version, s.created_at, s.updated_at, s.created_by, s.updated_by,
                   COALESCE(v.master_key_id, '') AS master_key_id
            FROM secrets_secrets s LEFT JOIN secrets_versions v
              ON v.project_id = s.project_id AND v.name = s.name AND v.version = s.current_version
            WHERE s.project_id = \(bind: project) AND s.name = \(bind: name)
            """).first().map(Self.record(from:))
    }

    static func record(from row: any SQLRow) throws -> SecretRecord {
        SecretRecord(
            name: try row.decode(column: "name", as: String.self), project: try row.decode(column: "project_id", as: String.self),
            purpose: try row.decode(column: "purpose", as: String.self), version: try row.decode(column: "current_version", as: Int.self),
            masterKeyId: try row.decode(column: "master_key_id", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }
}
