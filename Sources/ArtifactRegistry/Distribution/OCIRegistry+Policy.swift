import PlatformContracts
import PlatformStore
import SQLKit

/// The registry's policy decisions (issue 18): which artifact types a project may push
/// (`access.artifact_types`, empty = any) and how many bytes its repositories may hold
/// (`quota.registry_storage_bytes`). Both decide with one snapshot taken as a capacity write,
/// so a replica past its freshness budget refuses pushes (``ErrorCode/policyStale``).
extension OCIRegistry {
    static let artifactTypesKey = "access.artifact_types"
    static let storageBytesKey = "quota.registry_storage_bytes"

    /// The snapshot a push decides with, or `nil` for a registry built without policy (tools).
    func pushPolicy() async throws -> PolicySnapshot? {
        try await policy?.snapshot(for: .capacity)
    }

    /// Refuses an artifact (not a referrer: signatures and evidence attach to allowed ones)
    /// whose type is outside the project's `access.artifact_types`.
    /// - Throws: ``ErrorCode/policyFeatureDisabled`` naming the type and the allowed ones.
    func checkArtifactType(_ access: RepositoryAccess, mediaType: String, artifactType: String?, isReferrer: Bool,
                           snapshot: PolicySnapshot?) throws(PlatformError) {
        guard let snapshot, !isReferrer,
              let allowed = snapshot.list(Self.artifactTypesKey, project: access.project.id, tenant: access.project.tenantId),
              !allowed.isEmpty else { return }
        let type = ledger.types.type(mediaType: mediaType, artifactType: artifactType)?.typeId
        guard let type, allowed.contains(type) else {
            throw PlatformError(.policyFeatureDisabled,
                                "project \(access.project.id) may push artifact types \(allowed.joined(separator: ", ")) only; this is \(type ?? "of no registered type (\(artifactType ?? mediaType))")",
                                details: ["policy": Self.artifactTypesKey, "allowed": allowed.joined(separator: ","), "type": type ?? "",
                                          "policy_snapshot": snapshot.id])
        }
    }

    /// Refuses `adding` bytes that would take the project's stored bytes past its
    /// `quota.registry_storage_bytes`, counted from the durable rows in the caller's
    /// transaction. Pushes of one project are serialized for the count: a transaction-scoped
    /// advisory lock on PostgreSQL; on SQLite the store runs one write transaction at a time.
    /// - Throws: ``ErrorCode/artifactStorageQuotaExceeded``.
    func checkStorage(_ access: RepositoryAccess, adding bytes: Int64, snapshot: PolicySnapshot?, _ db: any SQLDatabase) async throws {
        guard let snapshot, bytes > 0,
              let limit = snapshot.integer(Self.storageBytesKey, project: access.project.id, tenant: access.project.tenantId) else { return }
        if store.backend == .postgres {
            try await db.raw("SELECT pg_advisory_xact_lock(hashtext('artifacts.storage'), hashtext(\(bind: access.project.id)))").run()
        }
        let stored = try await Self.storedBytes(project: access.project.id, db)
        guard stored + bytes <= limit else {
            throw PlatformError(.artifactStorageQuotaExceeded,
                                "project \(access.project.id) stores \(stored) bytes; \(bytes) more exceed its registry storage quota of \(limit)",
                                details: ["quota": "registry_storage_bytes", "limit": String(limit), "used": String(stored),
                                          "requested": String(bytes), "policy_snapshot": snapshot.id])
        }
    }

    /// Bytes a project's repositories hold, as `quota.registry_storage_bytes` counts them.
    public func storedBytes(project: String) async throws -> Int64 {
        try await store.read { db in try await Self.storedBytes(project: project, db) }
    }

    /// Bytes the project's repositories hold: every blob link and every manifest, each
    /// counted in every repository that holds it (what the project is charged for).
    static func storedBytes(project: String, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("""
            SELECT CAST(COALESCE((SELECT SUM(l.size) FROM artifacts_blob_links l JOIN artifacts_repositories r ON r.name = l.repository
                                  WHERE r.project_id = \(bind: project)), 0)
                      + COALESCE((SELECT SUM(m.size) FROM artifacts_manifests m JOIN artifacts_repositories r ON r.name = m.repository
                                  WHERE r.project_id = \(bind: project)), 0) AS BIGINT) AS total
            """).first()?.decode(column: "total", as: Int64.self) ?? 0
    }
}

extension [String: String] {
    /// Audit details with `policy_snapshot` added when a snapshot decided (a registry without
    /// policy records none).
    func naming(policySnapshot: String?) -> [String: String] {
        guard let policySnapshot else { return self }
        var details = self
        details["policy_snapshot"] = policySnapshot
        return details
    }
}
