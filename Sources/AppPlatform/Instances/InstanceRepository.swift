import PlatformContracts
import PlatformStore
import SQLKit

/// Every read and write of `apps_instances`, `apps_instance_events` and
/// `apps_instance_ports`: no SQL on these tables lives anywhere else (the leases' in
/// `InstanceRepository+Leases.swift`). A write of a row holding a lease checks it first.
/// A phase change is one ``appendEvent(_:message:at:audit:)``: the row, its next event and
/// (optionally) an audit record commit together, so the event log `GET …/events` streams
/// never disagrees with the row.
struct InstanceRepository: Sendable {
    /// The stored names of the terminal phases, sorted (for `phase IN/NOT IN` filters).
    static let terminalPhaseNames = Array(Set(InstancePhase.allCases.filter(\.isTerminal).map(\.name))).sorted()

    let store: SQLStore
    let audit: any TransactionalAuditing
    /// Writes the notice a phase announces (`instance.ready`, `instance.failed`, see
    /// ``InstanceNotices``) in the phase change's transaction; `nil` writes none.
    var outbox: OutboxWriter? = nil

    /// Writes `row` (inserted when `creating`, else updated), appends its phase as the next
    /// event, the notice its phase announces (if any, and if ``outbox`` is set) and `audit`
    /// (if any) under the row's tenant, in one transaction.
    func appendEvent(_ row: InstanceRow, message: String?, at: String, audit event: AuditEvent? = nil,
                     creating: Bool = false) async throws {
        try await store.transaction { db in
            try await write(row, message: message, at: at, audit: event, creating: creating, db)
        }
    }

    /// Inserts an admitted row, its `accepted` event and its audit record in one transaction,
    /// after `check` has passed on the project's holdings counted in that same transaction.
    ///
    /// Admissions of one project are serialized, so a count and the insert it allows never
    /// interleave with another's: on PostgreSQL by a transaction-scoped advisory lock on the
    /// project (released at commit, after the row is visible to the next holder's count);
    /// on SQLite by the store itself, which runs one write transaction at a time
    /// (`BEGIN IMMEDIATE` behind an in-process writer lock, and the database's reserved lock
    /// across processes). `check` may write too (the `quota.threshold` outbox intents).
    func admit(_ row: InstanceRow, message: String?, audit event: AuditEvent,
               check: (ProjectHoldings, any SQLDatabase) async throws -> Void) async throws {
        try await store.transaction { db in
            if store.backend == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext('apps.instances.admission'), hashtext(\(bind: row.projectId)))").run()
            }
            try await check(try await Self.holdings(project: row.projectId, db), db)
            try await Self.holdPorts(of: row, db)
            try await write(row, message: message, at: row.createdAt, audit: event, creating: true, db)
        }
    }

    /// A project's non-terminal instances and their GPUs (by model, from each row's launch spec).
    static func holdings(project: String, _ db: any SQLDatabase) async throws -> ProjectHoldings {
        let terminal = Self.terminalPhaseNames
        var held = ProjectHoldings()
        for row in try await db.select().columns("gpu_count", "spec").from("apps_instances").where("project_id", .equal, project)
            .where("phase", .notIn, terminal).where("deleted", .equal, 0).all() {
            let count = try row.decode(column: "gpu_count", as: Int.self)
            held.instances += 1
            guard count > 0 else { continue }
            held.gpus += count
            let model = InstanceRow.decode(SpecGPUs.self, try row.decode(column: "spec", as: String.self))?.gpus.model ?? ""
            held.gpusByModel[model, default: 0] += count
        }
        return held
    }

    /// The one part of a stored launch spec the GPU count by model needs.
    private struct SpecGPUs: Decodable {
        struct Request: Decodable { var model: String? }
        var gpus: Request
    }

    private func write(_ row: InstanceRow, message: String?, at: String, audit event: AuditEvent?, creating: Bool,
                       _ db: any SQLDatabase) async throws {
        if creating {
            try await row.insert(into: db)
        } else {
            try await Self.checkLease(row, db)
            try await row.update(in: db)
            if row.isTerminal {
                try await Self.freePorts(of: row.id, db)
                try await GPUDeviceClaimTable.release(instance: row.id, db)
            }
        }
        let last = creating ? 0 : try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last")
            .from("apps_instance_events").where("instance_id", .equal, row.id).first()?.decode(column: "last", as: Int?.self) ?? 0
        try await db.insert(into: "apps_instance_events").columns("instance_id", "seq", "phase", "reason", "message", "at")
            .values(SQLBind(row.id), SQLBind(last + 1), SQLBind(row.phase.name), SQLBind(row.reason), SQLBind(message), SQLBind(at))
            .run()
        // The notice its phase announces, on this transaction: it exists iff the phase committed.
        if let outbox, let notice = InstanceNotices.notice(for: row, at: at) {
            try await outbox.notify(notice.event, dedupeKey: notice.dedupeKey, in: db)
        }
        if let event { try await audit.append(event, tenant: row.tenantId, in: db) }
    }

    /// Persists the non-phase fields of a row (handle, node, metering progress).
    func save(_ row: InstanceRow) async throws {
        try await store.transaction { db in
            try await Self.checkLease(row, db)
            try await row.update(in: db)
        }
    }

    /// Raises `metered_through` of an instance no longer supervised (never lowers it).
    func advanceMetered(_ id: String, through upTo: Int) async throws {
        try await store.transaction { db in
            try await db.update("apps_instances").set("metered_through", to: SQLBind(upTo)).where("id", .equal, id)
                .where("metered_through", .lessThan, upTo).run()
        }
    }

    /// A project's instances, newest first (deleted ones are gone): at most `limit`, and only
    /// those after instance `before` in that order (a deleted one still marks its place); with
    /// `live`, only the non-terminal (`true`) or terminal (`false`) ones, by the stored phase.
    func list(project: String, limit: Int? = nil, before: String? = nil, live: Bool? = nil) async throws -> [InstanceRow] {
        let terminal = Self.terminalPhaseNames
        return try await store.read { db in
            var select = db.select().columns("*").from("apps_instances").where("project_id", .equal, project)
                .where("deleted", .equal, 0)
            if let live { select = select.where("phase", live ? .notIn : .in, terminal) }
            if let before = before?.uppercased() {
                guard let mark = try await db.select().column("created_at").from("apps_instances").where("id", .equal, before)
                    .where("project_id", .equal, project).first(decodingColumn: "created_at", as: String.self)
                else {
                    throw PlatformError(.httpParameterInvalid, "before names no instance of this project", details: ["parameter": "before"])
                }
                select = select.where { group in
                    group.where("created_at", .lessThan, mark)
                        .orWhere { tie in tie.where("created_at", .equal, mark).where("id", .lessThan, before) }
                }
            }
            select = select.orderBy("created_at", .descending).orderBy("id", .descending)
            if let limit { select = select.limit(limit) }
            return try await select.all().map(InstanceRow.init(row:))
        }
    }

    /// One instance of a project, unless deleted.
    func find(_ id: String, project: String) async throws -> InstanceRow? {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("id", .equal, id.uppercased())
                .where("project_id", .equal, project).where("deleted", .equal, 0).first().map(InstanceRow.init(row:))
        }
    }

    /// Every instance not yet in a terminal phase (what a restarted supervisor re-attaches).
    func nonTerminal() async throws -> [InstanceRow] {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("phase", .notIn, Self.terminalPhaseNames)
                .all().map(InstanceRow.init(row:))
        }
    }

    /// One instance by id, whatever its project (the usage meter's look-up of a change it heard).
    func find(_ id: String) async throws -> InstanceRow? {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("id", .equal, id).first().map(InstanceRow.init(row:))
        }
    }

    /// Terminal instances whose recorded metering stops short of their end: fewer intervals
    /// of `intervalMs` recorded than their persisted run time covers (a crash or a failing
    /// metering log between the terminal phase and its final usage).
    func terminalBehindOnMetering(intervalMs: Int64) async throws -> [InstanceRow] {
        guard intervalMs > 0 else { return [] }
        let terminal = Self.terminalPhaseNames
        return try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("phase", .in, terminal)
                .where("running_since_ms", .isNot, SQLLiteral.null).where("finished_at_ms", .isNot, SQLLiteral.null)
                .where(SQLRaw("metered_through < (finished_at_ms - running_since_ms + \(intervalMs - 1)) / \(intervalMs)"))
                .all().map(InstanceRow.init(row:))
        }
    }

    /// Phase events after `seq`, in order.
    func events(of id: String, after seq: Int) async throws -> [InstanceEvent] {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instance_events").where("instance_id", .equal, id)
                .where("seq", .greaterThan, seq).orderBy("seq").all().map { row in
                    let name = try row.decode(column: "phase", as: String.self)
                    guard let phase = InstancePhase(name: name, reason: try row.decode(column: "reason", as: String?.self)) else {
                        throw PlatformError(.storeQueryFailed, "instance \(id) has an event with unknown phase \(name)")
                    }
                    return InstanceEvent(seq: try row.decode(column: "seq", as: Int.self), phase: phase,
                                         message: try row.decode(column: "message", as: String?.self),
                                         at: try row.decode(column: "at", as: String.self))
                }
        }
    }

    /// Marks an instance deleted and audits it, together.
    func markDeleted(_ row: InstanceRow, audit event: AuditEvent) async throws {
        let audit = self.audit
        try await store.transaction { db in
            try await db.update("apps_instances").set("deleted", to: SQLBind(1)).where("id", .equal, row.id).run()
            try await audit.append(event, tenant: row.tenantId, in: db)
        }
    }

    /// Audits a refusal; a failing audit log does not change the refusal, so it is not thrown.
    func auditRefusal(_ event: AuditEvent, tenant: String) async {
        let audit = self.audit
        _ = try? await store.transaction { db in try await audit.append(event, tenant: tenant, in: db) }
    }
}

extension InstanceRow {
    /// The audit record of this row's current phase, by `actor` (`nil`: the platform itself).
    func auditEvent(action: String, actor: String?, requestID: String?, message: String?) -> AuditEvent {
        var details = ["app": "\(app)@\(version)", "adapter": adapter, "phase": phase.name]
        if let reason { details["reason"] = reason }
        if let stopCause { details["stop_cause"] = stopCause.rawValue }
        if let message { details["message"] = String(message.prefix(300)) }
        if let launchRequestID { details["correlationId"] = launchRequestID }
        return AuditEvent(actor: PrincipalID(actor ?? "platformd"), action: action, target: "instance/\(id)",
                          outcome: phase.failureReason == nil ? .success : .failure, requestID: requestID, details: details,
                          project: projectId)
    }
}
