import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// Every read and write of `apps_volumes`: no SQL on this table lives anywhere else. Each
/// write commits with its audit record; a create counts the project's provisioned bytes in
/// its own transaction, and a delete looks for live instances mounting the volume in its own.
struct VolumeRepository: Sendable {
    let store: SQLStore
    let audit: any TransactionalAuditing

    /// Inserts `record` with its `apps.volume.create` audit record, after checking that the
    /// name is free and that the project's volumes stay within `limitBytes`, counted in the
    /// same transaction. Creations of one project are serialized like admissions: on
    /// PostgreSQL by a transaction-scoped advisory lock, on SQLite by its single writer.
    /// - Throws: ``ErrorCode/volumeExists``, ``ErrorCode/instanceQuotaExceeded`` (`quota: volume_bytes`).
    func insert(_ record: VolumeRecord, tenant: String, limitBytes: Int64?, snapshot: String, audit event: AuditEvent) async throws {
        try await store.transaction { db in
            if store.backend == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext('apps.volumes'), hashtext(\(bind: record.project)))").run()
            }
            if try await Self.find(record.name, project: record.project, db) != nil {
                throw PlatformError(.volumeExists, "project \(record.project) already has a volume named \(record.name)",
                                    details: ["volume": record.name])
            }
            if let limitBytes {
                let used = try await Self.provisionedMiB(project: record.project, db) * 1_048_576
                let requested = Int64(record.sizeMiB) * 1_048_576
                if used + requested > limitBytes {
                    throw PlatformError(.instanceQuotaExceeded,
                                        "project \(record.project) holds \(used) bytes of volumes; \(requested) more exceed its quota of \(limitBytes)",
                                        details: ["quota": "volume_bytes", "limit": String(limitBytes), "used": String(used),
                                                  "requested": String(requested), "policy_snapshot": snapshot])
                }
            }
            try await db.insert(into: "apps_volumes")
                .columns("id", "project_id", "tenant_id", "name", "size_mib", "adapter", "created_at", "created_by")
                .values(SQLBind(record.id), SQLBind(record.project), SQLBind(tenant), SQLBind(record.name), SQLBind(Int64(record.sizeMiB)),
                        SQLBind(record.adapter), SQLBind(record.createdAt), SQLBind(record.createdBy))
                .run()
            try await audit.append(event, tenant: tenant, in: db)
        }
    }

    /// Removes a row that was inserted but whose storage could not be provisioned (no audit:
    /// the create's record says it was asked for; the error says it failed).
    func forget(_ id: String) async throws {
        try await store.transaction { db in try await db.delete(from: "apps_volumes").where("id", .equal, id).run() }
    }

    /// Deletes the volume with its `apps.volume.delete` record, unless a live instance
    /// mounts it (counted in the same transaction).
    /// - Throws: ``ErrorCode/volumeInUse`` naming the instances.
    func delete(_ record: VolumeRecord, tenant: String, audit event: AuditEvent) async throws {
        try await store.transaction { db in
            let users = try await Self.mounters(project: record.project, db)[record.id] ?? []
            guard users.isEmpty else {
                throw PlatformError(.volumeInUse, "volume \(record.name) is mounted by live instance \(users.joined(separator: ", ")); stop it first",
                                    details: ["volume": record.name, "instances": users.joined(separator: ",")])
            }
            try await db.delete(from: "apps_volumes").where("id", .equal, record.id).run()
            try await audit.append(event, tenant: tenant, in: db)
        }
    }

    /// The project's volumes by name, each with the live instances that mount it.
    func list(project: String) async throws -> [VolumeRecord] {
        try await store.read { db in
            let mounters = try await Self.mounters(project: project, db)
            return try await db.select().columns("*").from("apps_volumes").where("project_id", .equal, project)
                .orderBy("name").all().map { row in
                    var record = try Self.record(row)
                    record.mountedBy = mounters[record.id] ?? []
                    return record
                }
        }
    }

    /// One volume of the project by name (or id), with its mounters.
    func find(_ nameOrId: String, project: String) async throws -> VolumeRecord? {
        try await store.read { db in
            guard var record = try await Self.find(nameOrId, project: project, db) else { return nil }
            record.mountedBy = try await Self.mounters(project: project, db)[record.id] ?? []
            return record
        }
    }

    static func find(_ nameOrId: String, project: String, _ db: any SQLDatabase) async throws -> VolumeRecord? {
        try await db.select().columns("*").from("apps_volumes").where("project_id", .equal, project)
            .where { $0.where("name", .equal, nameOrId).orWhere("id", .equal, nameOrId) }
            .first().map(record)
    }

    static func provisionedMiB(project: String, _ db: any SQLDatabase) async throws -> Int64 {
        // PostgreSQL sums BIGINT as NUMERIC: cast back so both backends answer an integer.
        try await db.raw("SELECT CAST(COALESCE(SUM(size_mib), 0) AS BIGINT) AS total FROM apps_volumes WHERE project_id = \(bind: project)")
            .first()?.decode(column: "total", as: Int64.self) ?? 0
    }

    /// Volume id → the project's non-terminal instances whose launch spec mounts it.
    static func mounters(project: String, _ db: any SQLDatabase) async throws -> [String: [String]] {
        let terminal = InstanceRepository.terminalPhaseNames
        var found: [String: [String]] = [:]
        for row in try await db.select().columns("id", "spec").from("apps_instances").where("project_id", .equal, project)
            .where("phase", .notIn, terminal).where("deleted", .equal, 0).orderBy("id").all() {
            let id = try row.decode(column: "id", as: String.self)
            let text = try row.decode(column: "spec", as: String.self)
            guard let spec = try? JSONDecoder().decode(SpecVolumes.self, from: Data(text.utf8)) else { continue }
            for volume in spec.volumes ?? [] {
                if let volumeId = volume.volumeId { found[volumeId, default: []].append(id) }
            }
        }
        return found
    }

    /// The one part of a stored launch spec the mount count needs.
    private struct SpecVolumes: Decodable {
        struct Mount: Decodable { var volumeId: String? }
        var volumes: [Mount]?
    }

    static func record(_ row: any SQLRow) throws -> VolumeRecord {
        VolumeRecord(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                     project: try row.decode(column: "project_id", as: String.self),
                     sizeMiB: Int(try row.decode(column: "size_mib", as: Int64.self)),
                     adapter: try row.decode(column: "adapter", as: String.self),
                     createdAt: try row.decode(column: "created_at", as: String.self),
                     createdBy: try row.decode(column: "created_by", as: String.self))
    }
}
