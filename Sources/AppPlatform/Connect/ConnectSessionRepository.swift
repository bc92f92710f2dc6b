import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// Every read and write of `apps_connect_sessions`: no SQL on this table lives anywhere
/// else. Each write commits together with its audit record, so the audit log never tells of
/// a session the table does not hold (or the reverse), and every end or change of a session
/// notifies ``StoreChannel/connect`` in its transaction, so other replicas drop their copies.
struct ConnectSessionRepository: Sendable {
    let store: SQLStore
    let audit: any TransactionalAuditing
    /// Session opens commit together (group commit) rather than one writer at a time.
    let writer: WriteBatcher
    let logger: Logger

    init(store: SQLStore, audit: any TransactionalAuditing, logger: Logger) {
        self.store = store
        self.audit = audit
        self.writer = WriteBatcher(store: store)
        self.logger = logger
    }

    /// Inserts a new session (and the hash and expiry of its one-time launch code, for web
    /// sessions) with its `apps.connect.start` record, in a group commit.
    func insert(_ grant: ConnectGrant, createdAt: String, launch: (hash: String, expiresMs: Int64)?,
                audit event: AuditEvent) async throws {
        let audit = self.audit
        try await writer.write { db in
            try await db.insert(into: "apps_connect_sessions")
                .columns("id", "instance_id", "project_id", "tenant_id", "principal_id", "action", "type", "endpoint", "host", "port",
                         "token_hash", "launch_hash", "launch_expires_ms", "cookie_hash", "created_at", "expires_at_ms", "ended_at", "ended_reason", "path_prefix")
                .values(SQLBind(grant.sessionId), SQLBind(grant.instanceId), SQLBind(grant.projectId), SQLBind(grant.tenantId),
                        SQLBind(grant.principalId), SQLBind(grant.action), SQLBind(grant.type), SQLBind(grant.endpoint), SQLBind(grant.host),
                        SQLBind(grant.port), SQLBind(grant.tokenHash), SQLBind(launch?.hash), SQLBind(launch?.expiresMs),
                        SQLBind(String?.none), SQLBind(createdAt), SQLBind(grant.expiresAtMs), SQLBind(String?.none), SQLBind(String?.none),
                        SQLBind(grant.pathPrefix.rawValue))
                .run()
            try await audit.append(event, tenant: grant.tenantId, in: db)
        }
    }

    /// Stores a refreshed session's new expiry with its audit record.
    func extend(_ grant: ConnectGrant, audit event: AuditEvent) async throws {
        let audit = self.audit
        let store = self.store
        try await store.transaction { db in
            try await db.update("apps_connect_sessions").set("expires_at_ms", to: SQLBind(grant.expiresAtMs))
                .where("id", .equal, grant.sessionId).run()
            try await audit.append(event, tenant: grant.tenantId, in: db)
            try await ConnectSessionChange.changed([grant.sessionId]).notify(store, in: db)
        }
    }

    /// Marks the sessions among `ids` not ended yet as ended at `at` for `reason`, with the
    /// audit record `audit` makes of each, in one transaction (so two replicas ending the same
    /// session record its end once), and tells every replica.
    /// - Returns: The grants this call ended.
    @discardableResult
    func end(_ ids: [String], at: String, reason: String,
             audit record: @escaping @Sendable (ConnectGrant) -> AuditEvent) async throws -> [ConnectGrant] {
        guard !ids.isEmpty else { return [] }
        let audit = self.audit
        let store = self.store
        return try await store.transaction { db in
            let ended = try await Self.unendedGrants(ids, in: db)
            for grant in ended {
                try await db.update("apps_connect_sessions").set("ended_at", to: SQLBind(at)).set("ended_reason", to: SQLBind(reason))
                    .where("id", .equal, grant.sessionId).where("ended_at", .is, SQLLiteral.null).run()
                try await audit.append(record(grant), tenant: grant.tenantId, in: db)
            }
            try await ConnectSessionChange.ended(ids).notify(store, in: db)
            return ended
        }
    }

    /// Swaps a valid launch code for a cookie: one statement decides the race, so only the
    /// first redemption of a code that has not expired at `nowMs` updates the row.
    /// - Returns: Whether this call redeemed it.
    func redeemLaunchCode(session: String, codeHash: String, cookieHash: String, nowMs: Int64) async throws -> Bool {
        let store = self.store
        return try await store.transaction { db in
            let row = try await db.select().columns("launch_hash", "launch_expires_ms").from("apps_connect_sessions")
                .where("id", .equal, session).first()
            guard let row, let stored = try row.decode(column: "launch_hash", as: String?.self),
                  ConnectSecret.matches(codeHash, stored),
                  (try row.decode(column: "launch_expires_ms", as: Int64?.self) ?? 0) > nowMs else { return false }
            try await db.update("apps_connect_sessions").set("launch_hash", to: SQLBind(String?.none))
                .set("cookie_hash", to: SQLBind(cookieHash)).where("id", .equal, session).where("launch_hash", .equal, stored).run()
            try await ConnectSessionChange.changed([session]).notify(store, in: db)
            return true
        }
    }

    /// Audits a refusal (`apps.connect.deny`); a failing audit log is logged, not thrown,
    /// because the refusal stands either way.
    func recordDenial(actor: String, target: String, code: ErrorCode, reason: String, requestID: String?, tenant: String?,
                      project: String?, policySnapshot: String? = nil) async {
        let audit = self.audit
        var details = ["code": code.rawValue, "reason": String(reason.prefix(300))]
        if let policySnapshot { details["policy_snapshot"] = policySnapshot }
        do {
            try await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(actor), action: "apps.connect.deny", target: target, outcome: .denied,
                               requestID: requestID, details: details, project: project),
                    tenant: tenant, in: db)
            }
        } catch {
            logger.error("connect denial not audited", metadata: ["target": "\(target)", "error": "\(error)"])
        }
    }

    /// One session by id (any spelling of its case), whatever its state at `nowMs`.
    func record(_ id: String, nowMs: Int64) async throws -> ConnectSessionRecord? {
        try await store.read { db in
            try await db.select().columns("*").from("apps_connect_sessions").where("id", .equal, id.uppercased()).first()
                .map { try Self.record(row: $0, nowMs: nowMs) }
        }
    }

    /// A project's sessions (optionally one instance's), newest first, at most 500.
    func list(project: String, instance: String?, nowMs: Int64) async throws -> [ConnectSessionRecord] {
        try await store.read { db in
            var query = db.select().columns("*").from("apps_connect_sessions").where("project_id", .equal, project)
            if let instance { query = query.where("instance_id", .equal, instance.uppercased()) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending).limit(500).all()
                .map { try Self.record(row: $0, nowMs: nowMs) }
        }
    }

    /// Every session neither ended nor expired at `nowMs` (what a restarted process serves).
    func liveGrants(at nowMs: Int64) async throws -> [ConnectGrant] {
        try await store.read { db in
            try await db.select().columns("*").from("apps_connect_sessions").where("ended_at", .is, SQLLiteral.null)
                .where("expires_at_ms", .greaterThan, SQLBind(nowMs)).all().map(ConnectGrant.init(row:))
        }
    }

    /// The ids of an instance's sessions not ended (whichever replica opened them).
    func unendedSessions(ofInstance instance: String) async throws -> [String] {
        try await store.read { db in
            try await db.select().column("id").from("apps_connect_sessions").where("instance_id", .equal, instance)
                .where("ended_at", .is, SQLLiteral.null).all().map { try $0.decode(column: "id", as: String.self) }
        }
    }

    /// A session's grant unless it has ended (it may have expired: the caller checks).
    func unendedGrant(_ session: String) async throws -> ConnectGrant? {
        try await store.read { db in
            try await db.select().columns("*").from("apps_connect_sessions").where("id", .equal, session)
                .where("ended_at", .is, SQLLiteral.null).first().map(ConnectGrant.init(row:))
        }
    }

    /// The grants among `ids` that have not ended (some may have expired: the caller checks).
    func unendedGrants(_ ids: [String]) async throws -> [ConnectGrant] {
        guard !ids.isEmpty else { return [] }
        return try await store.read { db in try await Self.unendedGrants(ids, in: db) }
    }

    /// The rows among `ids` not ended, read in chunks of 500 ids.
    static func unendedGrants(_ ids: [String], in db: any SQLDatabase) async throws -> [ConnectGrant] {
        var found: [ConnectGrant] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            found += try await db.select().columns("*").from("apps_connect_sessions").where("id", .in, chunk)
                .where("ended_at", .is, SQLLiteral.null).all().map(ConnectGrant.init(row:))
        }
        return found
    }

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
}
