import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// The `SigningKeyDirectory` over the SQL store: public keys per project, rotated and
/// revoked with an audit record in the same transaction. It asks IAM nothing: callers pass
/// the project their request already resolved within the caller's reach.
public struct SigningKeyStore: SigningKeyDirectory {
    let store: SQLStore
    let audit: any TransactionalAuditing

    /// Creates the directory.
    public init(store: SQLStore, audit: any TransactionalAuditing) {
        self.store = store
        self.audit = audit
    }

    /// Every key of a project for a purpose, revoked ones included.
    public func keys(project: String, purpose: KeyPurpose) async throws -> [TrustedKey] {
        try await store.read { db in
            try await db.select().columns("*").from("secrets_signing_keys")
                .where("project_id", .equal, project).where("purpose", .equal, purpose.rawValue)
                .orderBy("created_at").all().map(Self.key(from:))
        }
    }

    /// Keys of a project the request resolved.
    public func keys(in project: Project) async throws -> [TrustedKey] {
        try await store.read { db in
            try await db.select().columns("*").from("secrets_signing_keys").where("project_id", .equal, project.id)
                .orderBy("created_at").all().map(Self.key(from:))
        }
    }

    /// Registers a public key.
    public func register(in project: Project, _ request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        let key = try Self.record(request, project: project.id, by: caller)
        return try await store.transaction { db in
            try await insert(key, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.signingkey.register", target: "signingkey/\(key.id)",
                           outcome: .success, requestID: requestID, details: ["name": key.name, "purpose": key.purpose.rawValue],
                           project: project.id),
                tenant: project.tenantId, in: db)
            return key
        }
    }

    /// Registers a successor and retires the old key.
    public func rotate(in project: Project, id: String, to request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        let successor = try Self.record(request, project: project.id, by: caller)
        return try await store.transaction { db in
            let old = try await requireKey(project: project.id, id: id, db)
            guard old.status == .active else {
                throw PlatformError(.signingKeyInvalid, "key \(id) is \(old.status.rawValue); only an active key can be rotated")
            }
            try await insert(successor, db)
            try await db.update("secrets_signing_keys").set("status", to: SigningKeyStatus.retired.rawValue)
                .set("replaced_by", to: successor.id).where("project_id", .equal, project.id).where("id", .equal, id).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.signingkey.rotate", target: "signingkey/\(id)",
                           outcome: .success, requestID: requestID, details: ["successor": successor.id], project: project.id),
                tenant: project.tenantId, in: db)
            return successor
        }
    }

    /// Revokes a key now.
    public func revoke(in project: Project, id: String, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        try await store.transaction { db in
            var key = try await requireKey(project: project.id, id: id, db)
            guard key.status != .revoked else { return key }
            key.status = .revoked
            key.revokedAt = Timestamp.now().rfc3339
            try await db.update("secrets_signing_keys").set("status", to: key.status.rawValue).set("revoked_at", to: key.revokedAt)
                .where("project_id", .equal, project.id).where("id", .equal, id).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.signingkey.revoke", target: "signingkey/\(id)",
                           outcome: .success, requestID: requestID, details: ["name": key.name], project: project.id),
                tenant: project.tenantId, in: db)
            return key
        }
    }

    static func record(_ request: SigningKeyRequest, project: String, by caller: Caller) throws -> TrustedKey {
        try TextPolicy.requireIdentifier(request.name, field: "name")
        let name = request.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else {
            throw PlatformError(.iamInvalidRequest, "a signing key needs a name of 1 to 64 characters")
        }
        let parsed = try SigningPublicKey(pem: request.publicKeyPEM)
        return TrustedKey(
            id: parsed.keyID, projectId: project, name: name, purpose: request.purpose ?? .artifactSigning, publicKeyPEM: parsed.pem,
            status: .active, createdAt: Timestamp.now().rfc3339, createdBy: caller.principalId)
    }

    func insert(_ key: TrustedKey, _ db: any SQLDatabase) async throws {
        if try await db.select().column("id").from("secrets_signing_keys").where("project_id", .equal, key.projectId)
            .where("id", .equal, key.id).first() != nil {
            throw PlatformError(.signingKeyExists, "the project already has this public key (\(key.id)); keys are never re-registered")
        }
        try await db.insert(into: "secrets_signing_keys")
            .columns("project_id", "id", "name", "purpose", "public_key_pem", "status", "created_at", "created_by")
            .values(SQLBind(key.projectId), SQLBind(key.id), SQLBind(key.name), SQLBind(key.purpose.rawValue),
                    SQLBind(key.publicKeyPEM), SQLBind(key.status.rawValue), SQLBind(key.createdAt), SQLBind(key.createdBy))
            .run()
    }

    func requireKey(project: String, id: String, _ db: any SQLDatabase) async throws -> TrustedKey {
        guard let row = try await db.select().columns("*").from("secrets_signing_keys").where("project_id", .equal, project)
            .where("id", .equal, id).first() else {
            throw PlatformError(.signingKeyNotFound, "no signing key \(id) in project \(project)")
        }
        return try Self.key(from: row)
    }

    static func key(from row: any SQLRow) throws -> TrustedKey {
        TrustedKey(
            id: try row.decode(column: "id", as: String.self), projectId: try row.decode(column: "project_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            purpose: KeyPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .artifactSigning,
            publicKeyPEM: try row.decode(column: "public_key_pem", as: String.self),
            status: SigningKeyStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .revoked,
            createdAt: try row.decode(column: "created_at", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            revokedAt: try row.decode(column: "revoked_at", as: String?.self), replacedBy: try row.decode(column: "replaced_by", as: String?.self))
    }
}
