import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// First start: creates the bootstrap admin (platform-admin everywhere) and writes its key,
/// once, to `DATA_DIR/bootstrap-admin.key` (mode 0600). Later starts find principals and
/// do nothing.
extension IAMDirectory {
    /// Runs the bootstrap if the directory is empty; returns the key file it wrote, if any.
    @discardableResult
    public func bootstrapIfEmpty(keyFile: URL) async throws -> URL? {
        let issued: IssuedKey? = try await store.transaction { db in
            let existing = try await db.select().column("id").from("iam_principals").limit(1).first()
            guard existing == nil else { return nil }
            let admin = ULID().description
            let now = Timestamp.now().rfc3339
            try await db.insert(into: "iam_principals").columns("id", "tenant_id", "kind", "name", "created_at")
                .values(SQLBind(admin), SQLBind(String?.none), SQLBind("user"), SQLBind("bootstrap-admin"), SQLBind(now)).run()
            try await db.insert(into: "iam_memberships").columns("principal_id", "reach", "reach_id", "role", "created_at")
                .values(SQLBind(admin), SQLBind("platform"), SQLBind(""), SQLBind("platform-admin"), SQLBind(now)).run()
            let issued = try await insertKey(
                principal: admin, tenant: nil, project: nil, scopes: scopes.scopes(ofRole: "platform-admin"),
                lifetime: policy.maximumKeyLifetime, db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(admin), action: "iam.bootstrap", target: "principal/\(admin)", outcome: .success,
                           details: ["key": issued.info.id, "expires_at": issued.info.expiresAt]),
                tenant: nil, in: db)
            // Written inside the transaction: if the file cannot be written, nothing is created.
            try? FileManager.default.removeItem(at: keyFile)
            guard FileManager.default.createFile(
                atPath: keyFile.path, contents: Data((issued.key + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw PlatformError(.configInvalid, "cannot write the bootstrap admin key to \(keyFile.path)") }
            return issued
        }
        return issued == nil ? nil : keyFile
    }
}
