import Foundation
import PlatformContracts
import SQLKit

/// The `releases`, `release_evidence`, `release_approvals` and `release_decisions` rows.
/// Lists (artifacts, correlation ids, facts) are JSON text; evidence and decisions are ordered
/// by their per-release `seq`, so "newest" never depends on two timestamps in one millisecond.
enum ReleaseRows {
    static func insert(_ release: Release, in db: any SQLDatabase) async throws {
        try await db.insert(into: "releases")
            .columns("id", "project_id", "tenant_id", "environment", "artifacts", "source_sha", "branch", "state", "created_by",
                     "created_at", "correlation_ids")
            .values(SQLBind(release.id), SQLBind(release.projectId), SQLBind(release.tenantId), SQLBind(release.environment),
                    SQLBind(try text(release.artifacts)), SQLBind(release.sourceSha), SQLBind(release.branch),
                    SQLBind(release.state.rawValue), SQLBind(release.createdBy), SQLBind(release.createdAt),
                    SQLBind(try text(release.correlationIds)))
            .run()
    }

    /// One release of a project (evidence, approvals and decision not loaded).
    static func release(_ id: String, project: String, in db: any SQLDatabase) async throws -> Release? {
        try await db.select().columns("*").from("releases").where("id", .equal, id).where("project_id", .equal, project)
            .first().map(decodeRelease)
    }

    /// A project's releases, newest first; every project's when `project` is nil (`limit` newest).
    static func releases(project: String?, limit: Int? = nil, in db: any SQLDatabase) async throws -> [Release] {
        var query = db.select().columns("*").from("releases")
        if let project { query = query.where("project_id", .equal, project) }
        query = query.orderBy("created_at", .descending).orderBy("id", .descending)
        if let limit { query = query.limit(limit) }
        return try await query.all().map(decodeRelease)
    }

    static func update(_ id: String, state: ReleaseState, promotedAt: String?, correlationIds: [String], in db: any SQLDatabase) async throws {
        try await db.update("releases").set("state", to: SQLBind(state.rawValue)).set("promoted_at", to: SQLBind(promotedAt))
            .set("correlation_ids", to: SQLBind(try text(correlationIds))).where("id", .equal, id).run()
    }

    static func setCorrelationIds(_ id: String, _ correlationIds: [String], in db: any SQLDatabase) async throws {
        try await db.update("releases").set("correlation_ids", to: SQLBind(try text(correlationIds))).where("id", .equal, id).run()
    }

    // MARK: Evidence

    static func insert(_ evidence: ReleaseEvidence, release: String, in db: any SQLDatabase) async throws {
        let seq = try await nextSeq("release_evidence", release: release, in: db)
        try await db.insert(into: "release_evidence")
            .columns("id", "release_id", "type", "predicate_type", "envelope", "key_id", "signer", "attached_by", "attached_at",
                     "platform_made", "facts", "seq")
            .values(SQLBind(evidence.id), SQLBind(release), SQLBind(evidence.type), SQLBind(evidence.predicateType),
                    SQLBind(evidence.envelope), SQLBind(evidence.keyId), SQLBind(evidence.signer), SQLBind(evidence.attachedBy),
                    SQLBind(evidence.attachedAt), SQLBind(evidence.platformMade ? 1 : 0), SQLBind(try text(evidence.facts)), SQLBind(seq))
            .run()
    }

    /// Evidence of each release, oldest first.
    static func evidence(of releases: [String], in db: any SQLDatabase) async throws -> [String: [ReleaseEvidence]] {
        guard !releases.isEmpty else { return [:] }
        let rows = try await db.select().columns("*").from("release_evidence").where("release_id", .in, releases)
            .orderBy("release_id").orderBy("seq").orderBy("id").all()
        var result: [String: [ReleaseEvidence]] = [:]
        for row in rows {
            let evidence = ReleaseEvidence(
                id: try row.decode(column: "id", as: String.self), type: try row.decode(column: "type", as: String.self),
                predicateType: try row.decode(column: "predicate_type", as: String.self),
                envelope: try row.decode(column: "envelope", as: String.self), keyId: try row.decode(column: "key_id", as: String.self),
                signer: try row.decode(column: "signer", as: String.self), attachedBy: try row.decode(column: "attached_by", as: String.self),
                attachedAt: try row.decode(column: "attached_at", as: String.self),
                platformMade: try row.decode(column: "platform_made", as: Int.self) != 0,
                facts: try decode([String: String].self, try row.decode(column: "facts", as: String.self)))
            result[try row.decode(column: "release_id", as: String.self), default: []].append(evidence)
        }
        return result
    }

    // MARK: Approvals

    static func insert(_ approval: ReleaseApproval, release: String, in db: any SQLDatabase) async throws {
        try await db.insert(into: "release_approvals").columns("release_id", "approver", "role", "comment", "approved_at", "envelope")
            .values(SQLBind(release), SQLBind(approval.approver), SQLBind(approval.role.rawValue), SQLBind(approval.comment),
                    SQLBind(approval.approvedAt), SQLBind(approval.envelope))
            .run()
    }

    static func approvals(of releases: [String], in db: any SQLDatabase) async throws -> [String: [ReleaseApproval]] {
        guard !releases.isEmpty else { return [:] }
        let rows = try await db.select().columns("*").from("release_approvals").where("release_id", .in, releases)
            .orderBy("approved_at").orderBy("approver").all()
        var result: [String: [ReleaseApproval]] = [:]
        for row in rows {
            let approval = ReleaseApproval(
                approver: try row.decode(column: "approver", as: String.self),
                role: ReleaseApprovalRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .reviewer,
                comment: try row.decode(column: "comment", as: String.self), approvedAt: try row.decode(column: "approved_at", as: String.self),
                envelope: try row.decode(column: "envelope", as: String.self))
            result[try row.decode(column: "release_id", as: String.self), default: []].append(approval)
        }
        return result
    }

    // MARK: Decisions

    static func insert(_ decision: ReleaseDecision, project: String, in db: any SQLDatabase) async throws {
        let seq = try await nextSeq("release_decisions", release: decision.releaseId, in: db)
        try await db.insert(into: "release_decisions")
            .columns("id", "release_id", "project_id", "environment", "result", "document", "envelope", "policy_snapshot", "decided_by",
                     "decided_at", "seq")
            .values(SQLBind(decision.id ?? ""), SQLBind(decision.releaseId), SQLBind(project), SQLBind(decision.environment),
                    SQLBind(decision.verificationResult), SQLBind(try text(decision)), SQLBind(decision.envelope ?? ""),
                    SQLBind(decision.policySnapshot), SQLBind(decision.decidedBy), SQLBind(decision.decidedAt), SQLBind(seq))
            .run()
    }

    /// The newest recorded decision of each release.
    static func latestDecisions(of releases: [String], in db: any SQLDatabase) async throws -> [String: ReleaseDecision] {
        guard !releases.isEmpty else { return [:] }
        let rows = try await db.select().columns("release_id", "document").from("release_decisions").where("release_id", .in, releases)
            .orderBy("release_id").orderBy("seq").all()
        var result: [String: ReleaseDecision] = [:]
        for row in rows {
            result[try row.decode(column: "release_id", as: String.self)] =
                try decode(ReleaseDecision.self, try row.decode(column: "document", as: String.self))
        }
        return result
    }

    /// One recorded decision of a release.
    static func decision(_ id: String, release: String, in db: any SQLDatabase) async throws -> ReleaseDecision? {
        try await db.select().column("document").from("release_decisions").where("id", .equal, id).where("release_id", .equal, release)
            .first().map { try decode(ReleaseDecision.self, try $0.decode(column: "document", as: String.self)) }
    }

    // MARK: Helpers

    private static func nextSeq(_ table: String, release: String, in db: any SQLDatabase) async throws -> Int64 {
        let row = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "m").from(table)
            .where("release_id", .equal, release).first()
        return (try row?.decode(column: "m", as: Int64?.self) ?? 0) + 1
    }

    private static func decodeRelease(_ row: any SQLRow) throws -> Release {
        Release(
            id: try row.decode(column: "id", as: String.self), projectId: try row.decode(column: "project_id", as: String.self),
            tenantId: try row.decode(column: "tenant_id", as: String.self), environment: try row.decode(column: "environment", as: String.self),
            artifacts: try decode([String].self, try row.decode(column: "artifacts", as: String.self)),
            sourceSha: try row.decode(column: "source_sha", as: String.self), branch: try row.decode(column: "branch", as: String.self),
            state: ReleaseState(rawValue: try row.decode(column: "state", as: String.self)) ?? .candidate,
            createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self),
            correlationIds: try decode([String].self, try row.decode(column: "correlation_ids", as: String.self)))
    }

    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
