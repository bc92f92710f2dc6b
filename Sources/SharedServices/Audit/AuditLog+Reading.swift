import Foundation
import PlatformContracts
import PlatformStore
import SQLKit
import TransparencyLog

extension AuditLog {
    /// Records visible to the caller (all for platform keys, the key's tenant otherwise).
    public func records(action: String?, since: String?, afterSequence: Int64?, limit: Int, visibleTo caller: Caller) async throws -> [AuditRecord] {
        try await records(matching: AuditRecordFilter(action: action, since: since, afterSequence: afterSequence, limit: limit), visibleTo: caller)
    }

    /// Records visible to the caller (all for platform keys, the key's tenant otherwise) that
    /// match `filter`. Every filter is an indexed column (AuditSchema v2); the correlation id
    /// matches the request id or the `correlation_id` column written from
    /// `details.correlationId`, so a release's smoke correlation id finds the launch (its
    /// request) and the instance events that carry it.
    public func records(matching filter: AuditRecordFilter, visibleTo caller: Caller) async throws -> [AuditRecord] {
        try await store.read { db in
            var query = db.select().columns("*").from("audit_log")
                .orderBy("seq", filter.order == .newest ? .descending : .ascending).limit(max(1, min(filter.limit, 1000)))
            if let tenant = caller.tenantId { query = query.where("tenant_id", .equal, tenant) }
            if let project = caller.projectId { query = query.where("project_id", .equal, project) }
            if let action = filter.action { query = query.where("action", .equal, action) }
            if let since = filter.since { query = query.where("time", .greaterThanOrEqual, since) }
            if let actor = filter.actor { query = query.where("actor", .equal, actor) }
            if let target = filter.target { query = query.where("target", .equal, target) }
            if let request = filter.requestID { query = query.where("request_id", .equal, request) }
            if let correlation = filter.correlationID {
                query = query.where { group in
                    group.where("request_id", .equal, correlation).orWhere("correlation_id", .equal, correlation)
                }
            }
            if let after = filter.afterSequence { query = query.where("seq", .greaterThan, after) }
            if let before = filter.beforeSequence { query = query.where("seq", .lessThan, before) }
            return try await query.all().map(Self.record(from:))
        }
    }

    /// The whole log with its head, checkpoints and verifier key, as JSON; the export
    /// itself is recorded first, so it is part of what it exports, and a checkpoint is
    /// signed over the whole of it, so the newest checkpoint a verifier remembers is the
    /// head it saw (records after the last periodic checkpoint are covered too).
    public func exportJSON(by caller: Caller, requestID: String?) async throws -> [UInt8] {
        let export = try await store.transaction { db in
            try await append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "audit.export", target: "audit-log",
                           outcome: .success, requestID: requestID),
                tenant: caller.tenantId, in: db)
            try await checkpoint(in: db)
            return try await exportSnapshot(db)
        }
        return Array(try JSONEncoder.sorted.encode(export))
    }

    /// Reads the log as it is stored, for export and verification.
    public func exportSnapshot(_ db: any SQLDatabase) async throws -> AuditExport {
        let rows = try await db.select().columns("*").from("audit_log").orderBy("seq").all()
        let entries = try rows.map { row in
            AuditExport.Entry(
                record: try Self.record(from: row),
                leafHash: try row.decode(column: "leaf_hash", as: String.self),
                chainHash: try row.decode(column: "chain_hash", as: String.self))
        }
        guard let head = try await db.select().columns("size", "chain_hash").from("audit_head").where("id", .equal, 1).first()
        else { throw PlatformError(.auditUnavailable, "the audit head row is missing") }
        let notes = try await db.select().column("note").from("audit_checkpoints").orderBy("size").all()
            .map { try $0.decode(column: "note", as: String.self) }
        return AuditExport(
            origin: origin, verifierKey: verifierKey, size: try head.decode(column: "size", as: Int64.self),
            headChainHash: try head.decode(column: "chain_hash", as: String.self), entries: entries, checkpoints: notes)
    }

    static func record(from row: any SQLRow) throws -> AuditRecord {
        let details = try JSONDecoder().decode(
            [String: String].self, from: Data(try row.decode(column: "details", as: String.self).utf8))
        guard let outcome = AuditOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) else {
            throw PlatformError(.auditUnavailable, "corrupt outcome in audit table")
        }
        return AuditRecord(
            sequence: try row.decode(column: "seq", as: Int64.self), id: try row.decode(column: "id", as: String.self),
            time: try row.decode(column: "time", as: String.self),
            tenant: try row.decode(column: "tenant_id", as: String?.self),
            project: try row.decode(column: "project_id", as: String?.self),
            actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
            target: try row.decode(column: "target", as: String.self), outcome: outcome,
            requestId: try row.decode(column: "request_id", as: String?.self), details: details)
    }
}
