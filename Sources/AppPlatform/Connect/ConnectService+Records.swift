import Logging
import Synchronization
import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

extension ConnectService {
    /// The API view of a live grant.
    static func record(_ grant: ConnectGrant, createdAt: String, state: String) -> ConnectSessionRecord {
        ConnectSessionRecord(
            id: grant.sessionId, instanceId: grant.instanceId, projectId: grant.projectId, action: grant.action, type: grant.type,
            endpoint: grant.endpoint, principalId: grant.principalId, state: state, createdAt: createdAt,
            expiresAt: Timestamp(millisecondsSinceEpoch: UInt64(max(0, grant.expiresAtMs))).rfc3339,
            path: grant.type == "web" ? grant.path : nil)
    }

    /// The API view of a row; `state` is computed: ended rows say why, live ones may have expired.
    static func record(row: any SQLRow, nowMs: Int64) throws -> ConnectSessionRecord {
        let grant = try ConnectGrant(row: row)
        let endedReason = try row.decode(column: "ended_reason", as: String?.self)
        let state = endedReason.map { $0.hasPrefix("revoked") ? "revoked" : "ended" } ?? (grant.isExpired(at: nowMs) ? "expired" : "active")
        var record = record(grant, createdAt: try row.decode(column: "created_at", as: String.self), state: state)
        record.endedAt = try row.decode(column: "ended_at", as: String?.self)
        record.endedReason = endedReason
        return record
    }

    /// One session by id, whatever its state.
    func sessionRecord(_ id: String) async throws -> ConnectSessionRecord {
        let nowMs = clock.nowMilliseconds()
        let found = try await store.read { db in
            try await db.select().columns("*").from("apps_connect_sessions").where("id", .equal, id.uppercased()).first()
                .map { try Self.record(row: $0, nowMs: nowMs) }
        }
        guard let found else { throw PlatformError(.connectSessionNotFound, "no session \(id)") }
        return found
    }

    /// One session of a project the caller reaches.
    /// - Throws: ``ErrorCode/connectSessionNotFound`` when it is in another project.
    func sessionRecord(project: Project, session: String, caller: Caller) async throws -> ConnectSessionRecord {
        let record = try await sessionRecord(session)
        guard record.projectId == project.id else {
            throw PlatformError(.connectSessionNotFound, "no session \(session) in project \(project.id)")
        }
        return record
    }

    /// The live grant of a session the caller owns (or, with `mayManage`, may manage).
    func ownedLiveGrant(project: Project, session: String, caller: Caller, mayManage: Bool) async throws -> ConnectGrant {
        let record = try await sessionRecord(project: project, session: session, caller: caller)
        guard record.state == "active", let grant = live.withLock({ $0[record.id] }) else {
            throw PlatformError(.connectSessionNotFound, "session \(session) is \(record.state); open a new one", details: ["state": record.state])
        }
        guard grant.principalId == caller.principalId || mayManage else {
            throw PlatformError(.connectSessionNotFound, "no session \(session) of yours in project \(record.projectId)")
        }
        return grant
    }

    /// Ends sessions now: the rows say why, the live copies go, their tunnels close, and
    /// each end is audited.
    func end(_ ids: [String], reason: String, actor: String, action: String, requestID: String?) async throws {
        let grants = live.withLock { table in ids.compactMap { table[$0] } }
        let now = clock.now().rfc3339
        let audit = self.audit
        try await store.transaction { db in
            for id in ids {
                try await db.update("apps_connect_sessions").set("ended_at", to: SQLBind(now)).set("ended_reason", to: SQLBind(reason))
                    .where("id", .equal, id).where("ended_at", .is, SQLLiteral.null).run()
            }
            for grant in grants {
                try await audit.append(
                    AuditEvent(actor: PrincipalID(actor), action: action, target: "instance/\(grant.instanceId)", outcome: .success,
                               requestID: requestID, details: ["session": grant.sessionId, "reason": reason, "owner": grant.principalId],
                               project: grant.projectId),
                    tenant: grant.tenantId, in: db)
            }
        }
        live.withLock { table in for id in ids { table[id] = nil } }
        closeTunnels(of: ids)
        publishCount()
    }

    /// Every session of an instance that stopped being connectable ends with it.
    func instanceEnded(_ instanceId: String) async {
        let ids = live.withLock { table in table.values.filter { $0.instanceId == instanceId }.map(\.sessionId) }
        guard !ids.isEmpty else { return }
        do {
            try await end(ids, reason: "instance \(instanceId) stopped", actor: "platformd", action: "apps.connect.revoke", requestID: nil)
        } catch {
            // Memory first: whatever the store says, nothing reaches a stopping instance.
            live.withLock { table in for id in ids { table[id] = nil } }
            closeTunnels(of: ids)
            logger.error("could not record the end of connect sessions", metadata: ["instance": "\(instanceId)", "error": "\(error)"])
        }
    }

    /// Audits a refusal (`apps.connect.deny`); a failing audit log is logged, not thrown,
    /// because the refusal stands either way.
    func recordDenial(actor: String, target: String, code: ErrorCode, reason: String, requestID: String?, tenant: String?,
                      project: String?) async {
        let audit = self.audit
        do {
            try await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(actor), action: "apps.connect.deny", target: target, outcome: .denied,
                               requestID: requestID, details: ["code": code.rawValue, "reason": String(reason.prefix(300))],
                               project: project),
                    tenant: tenant, in: db)
            }
        } catch {
            logger.error("connect denial not audited", metadata: ["target": "\(target)", "error": "\(error)"])
        }
    }

    func publishCount() {
        observers.activeSessions(live.withLock { $0.count })
    }
}
