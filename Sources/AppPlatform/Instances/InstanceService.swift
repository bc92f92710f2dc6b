import AsyncHTTPClient
import Foundation
import Logging
import ManifestKit
import PlatformContracts
import PlatformStore
import RuntimeKit
import ServiceLifecycle
import SQLKit
import ArtifactRegistry

/// App instances: admission, the persisted phase machine, adapters driven to match it,
/// readiness, usage metering and re-attachment after a restart.
///
/// `launch` admits (scope, manifest, parameters, artifact trust, quotas, placement — each
/// with its own error code) and records `accepted`; a task then starts the workload through
/// the adapter. ``run()`` is the supervisor: it re-attaches every non-terminal instance
/// from its persisted handle, then reconciles each one with ``RuntimeAdapter/inspect(_:)``
/// every ``Settings/pollInterval``. Every phase change is a row in
/// `apps_instance_events` (what `GET …/events` streams) written in the same transaction as
/// the instance row.
public actor InstanceService: Service {
    /// Tunables.
    public struct Settings: Sendable {
        /// How often the supervisor inspects running instances.
        public var pollInterval: Duration = .milliseconds(250)
        /// Length of one metering interval in milliseconds; usage is emitted per interval.
        public var meteringIntervalMs: Int64 = 60_000
        /// How long a stop waits before killing.
        public var stopGrace: Duration = .seconds(10)
        /// The trust state each environment requires.
        public var environments: [String: TrustState] = [
            "development": .verified, "staging": .promotedStaging, "production": .promotedProduction,
        ]
        /// The environment when a launch names none.
        public var defaultEnvironment = "production"
        /// The quota plan every project gets (`policies.yaml`), until projects carry their own.
        public var quotas: [String: Int] = ["concurrent_instances": 20, "gpus": 8]
        /// Readiness deadline when the manifest's `evidence.readyWithinMinutes` is absent.
        public var defaultReadyWithinMinutes = 5
        /// The SSH user CA public key line given to apps with an `ssh` connect action.
        public var sshUserCA: String?
        /// What one minute of `lifecycle.idleStopMinutes` lasts (tests shorten it).
        public var idleMinute: Duration = .seconds(60)

        /// Defaults.
        public init() {}
    }

    let store: SQLStore
    let identity: any IdentityService
    let audit: any TransactionalAuditing
    let catalog: AppCatalog
    let validator: ManifestValidator
    let registry: OCIRegistry
    let ledger: TrustLedger
    let adapters: [String: any RuntimeAdapter]
    let usage: any UsageRecorder
    let settings: Settings
    let logger: Logger
    let onPhaseCounts: @Sendable ([String: Int]) -> Void

    var active: [String: InstanceRow] = [:]
    var inFlight: Set<String> = []
    var reconciling: Set<String> = []
    var portsInUse: Set<Int> = []
    var stopIssuedAt: [String: ContinuousClock.Instant] = [:]
    var healthTimedOut: Set<String> = []
    var recovered = false
    /// Last connect activity per instance (ms since the epoch), for idle stop.
    var lastActivityMs: [String: Int64] = [:]
    /// Parsed manifests of app versions connected to, by `project/app@version` (versions are immutable).
    var connectManifests: [String: LaunchManifest] = [:]
    /// Told when an instance leaves `running`/`ready` for good (stopping or terminal).
    var onConnectableEnd: (@Sendable (String) -> Void)?
    /// Admissions between their quota check and their insert, per project: (instances, GPUs).
    var admitting: [String: (instances: Int, gpus: Int)] = [:]

    /// Creates the service.
    public init(store: SQLStore, identity: any IdentityService, audit: any TransactionalAuditing, catalog: AppCatalog,
                validator: ManifestValidator, registry: OCIRegistry, ledger: TrustLedger, adapters: [any RuntimeAdapter],
                usage: any UsageRecorder, settings: Settings = .init(), logger: Logger,
                onPhaseCounts: @escaping @Sendable ([String: Int]) -> Void = { _ in }) {
        self.store = store
        self.identity = identity
        self.audit = audit
        self.catalog = catalog
        self.validator = validator
        self.registry = registry
        self.ledger = ledger
        self.adapters = Dictionary(adapters.map { ($0.capabilities.name, $0) }) { first, _ in first }
        self.usage = usage
        self.settings = settings
        self.logger = logger
        self.onPhaseCounts = onPhaseCounts
    }

    /// The adapters this server has, by name.
    public nonisolated var adapterNames: [String] { adapters.keys.sorted() }

    /// Throws ``ErrorCode/iamNotFound`` unless the caller reaches the project.
    public nonisolated func requireProject(_ reference: String, visibleTo caller: Caller) async throws {
        _ = try await identity.project(reference, visibleTo: caller)
    }

    /// A project's instances, newest first (deleted ones are gone).
    public func list(project reference: String, visibleTo caller: Caller) async throws -> [InstanceRecord] {
        let project = try await identity.project(reference, visibleTo: caller)
        return try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("project_id", .equal, project.id)
                .where("deleted", .equal, 0).orderBy("created_at", .descending).orderBy("id", .descending).all()
                .map { try InstanceRow(row: $0).record }
        }
    }

    /// One instance.
    /// - Throws: ``ErrorCode/instanceNotFound``.
    public func get(project reference: String, id: String, visibleTo caller: Caller) async throws -> InstanceRecord {
        try await row(project: reference, id: id, caller: caller).record
    }

    /// Phase events after `seq`, in order.
    public func events(project reference: String, id: String, after seq: Int, visibleTo caller: Caller) async throws -> [InstanceEvent] {
        let row = try await row(project: reference, id: id, caller: caller)
        return try await Self.events(of: row.id, after: seq, store: store)
    }

    static func events(of id: String, after seq: Int, store: SQLStore) async throws -> [InstanceEvent] {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instance_events").where("instance_id", .equal, id)
                .where("seq", .greaterThan, seq).orderBy("seq").all().map { row in
                    InstanceEvent(seq: try row.decode(column: "seq", as: Int.self), phase: try row.decode(column: "phase", as: String.self),
                                  reason: try row.decode(column: "reason", as: String?.self),
                                  message: try row.decode(column: "message", as: String?.self),
                                  at: try row.decode(column: "at", as: String.self))
                }
        }
    }

    /// Log output from `offset`.
    public func logs(project reference: String, id: String, from offset: Int64, visibleTo caller: Caller) async throws -> InstanceLogChunk {
        let row = try await row(project: reference, id: id, caller: caller)
        guard let handle = row.handle, let adapter = adapters[row.adapter] else {
            return InstanceLogChunk(text: "", nextOffset: offset, finished: row.isTerminal)
        }
        let chunk = try await adapter.logs(handle, from: offset)
        return InstanceLogChunk(text: String(decoding: chunk.data, as: UTF8.self), nextOffset: chunk.nextOffset, finished: row.isTerminal)
    }

    /// Requests a stop: `stopping` now, `stopped` once the runtime confirms. Stopping a
    /// terminal instance returns it unchanged.
    public func stop(project reference: String, id: String, by caller: Caller, requestID: String?) async throws -> InstanceRecord {
        var row = try await row(project: reference, id: id, caller: caller)
        guard !row.isTerminal else { return row.record }
        if let live = active[row.id] { row = live }
        guard !row.stopRequested else { return row.record }
        row.stopRequested = true
        row = try await transition(row, to: .stopping, message: "stop requested by \(caller.principalName)",
                                   audit: ("apps.instance.stop", caller, requestID))
        if row.handle != nil { reissueStopIfOverdue(row) }
        return row.record
    }

    /// Deletes a terminal instance and every runtime trace (rootfs, logs).
    /// - Throws: ``ErrorCode/instancePhaseConflict`` while it is not terminal.
    public func delete(project reference: String, id: String, by caller: Caller, requestID: String?) async throws {
        let row = try await row(project: reference, id: id, caller: caller)
        guard row.isTerminal else {
            throw PlatformError(.instancePhaseConflict, "instance \(row.id) is \(row.phase); stop it before deleting it",
                                details: ["phase": row.phase])
        }
        if let handle = row.handle, let adapter = adapters[row.adapter] { try await adapter.destroy(handle) }
        let audit = self.audit
        try await store.transaction { db in
            try await db.update("apps_instances").set("deleted", to: SQLBind(1)).where("id", .equal, row.id).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.delete", target: "instance/\(row.id)",
                           outcome: .success, requestID: requestID, details: ["app": row.app], project: row.projectId),
                tenant: row.tenantId, in: db)
        }
    }

    func row(project reference: String, id: String, caller: Caller) async throws -> InstanceRow {
        let project = try await identity.project(reference, visibleTo: caller)
        let found = try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("id", .equal, id.uppercased())
                .where("project_id", .equal, project.id).where("deleted", .equal, 0).first().map(InstanceRow.init(row:))
        }
        guard let found else { throw PlatformError(.instanceNotFound, "no instance \(id) in project \(project.id)") }
        return active[found.id] ?? found
    }

    /// How far along the lifecycle a phase is; a transition never moves backwards.
    static func rank(_ phase: String) -> Int {
        switch phase {
        case "accepted": 0
        case "scheduled": 1
        case "starting": 2
        case "running": 3
        case "ready": 4
        case "stopping": 5
        default: 6
        }
    }

    /// The caller's copy with what others changed meanwhile (a stop request, metering
    /// progress, the phase) taken from the live copy: actor methods interleave at every
    /// `await`, so a copy taken before one is stale after it.
    func merged(_ row: InstanceRow) -> InstanceRow? {
        guard let current = active[row.id] else { return nil }
        var row = row
        row.stopRequested = row.stopRequested || current.stopRequested
        row.meteredThrough = max(row.meteredThrough, current.meteredThrough)
        row.handle = row.handle ?? current.handle
        row.runningSinceMs = row.runningSinceMs ?? current.runningSinceMs
        row.finishedAtMs = row.finishedAtMs ?? current.finishedAtMs
        row.phase = current.phase
        row.reason = current.reason
        return row
    }

    /// Moves an instance to `phase`, writing the row, an event and (optionally) an audit
    /// record in one transaction. Refused (returns the live copy, writes nothing) when the
    /// instance is already terminal, when the move would go backwards, or when a stop was
    /// requested and `phase` is neither `stopping` nor terminal.
    @discardableResult
    func transition(_ row: InstanceRow, to phase: InstancePhase, message: String?,
                    audit auditing: (action: String, caller: Caller?, requestID: String?)? = nil) async throws -> InstanceRow {
        guard var row = merged(row) else { return row }
        let target = phase.name
        if Self.rank(target) <= Self.rank(row.phase) || (row.stopRequested && !phase.isTerminal && phase != .stopping) {
            return row
        }
        let now = Timestamp.now().rfc3339
        row.phase = target
        row.reason = phase.failureReason?.rawValue
        row.message = message
        row.updatedAt = now
        // Reserve the row's new state before the first await, so interleaved callers see it.
        if phase.isTerminal { active[row.id] = nil } else { active[row.id] = row }
        if phase.isTerminal || phase == .stopping {
            lastActivityMs[row.id] = nil
            onConnectableEnd?(row.id)
        }
        publishCounts()
        let updated = row
        let audit = self.audit
        try await store.transaction { db in
            try await updated.update(in: db)
            let last = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last").from("apps_instance_events")
                .where("instance_id", .equal, updated.id).first()?.decode(column: "last", as: Int?.self) ?? 0
            try await db.insert(into: "apps_instance_events").columns("instance_id", "seq", "phase", "reason", "message", "at")
                .values(SQLBind(updated.id), SQLBind(last + 1), SQLBind(updated.phase), SQLBind(updated.reason), SQLBind(message), SQLBind(now))
                .run()
            if let auditing {
                var details = ["app": "\(updated.app)@\(updated.version)", "adapter": updated.adapter, "phase": updated.phase]
                if let reason = updated.reason { details["reason"] = reason }
                if let message { details["message"] = String(message.prefix(300)) }
                try await audit.append(
                    AuditEvent(actor: PrincipalID(auditing.caller?.principalId ?? "platformd"), action: auditing.action,
                               target: "instance/\(updated.id)", outcome: phase.failureReason == nil ? .success : .failure,
                               requestID: auditing.requestID, details: details, project: updated.projectId),
                    tenant: updated.tenantId, in: db)
            }
        }
        logger.info("instance phase", metadata: ["instance": "\(row.id)", "phase": "\(row.phase)", "reason": "\(row.reason ?? "")"])
        return active[row.id].flatMap { merged($0) } ?? row
    }

    /// Persists non-phase fields of a live instance (handle, node, metering progress); a
    /// terminal instance is never written back to life.
    func save(_ row: InstanceRow) async throws {
        guard var row = merged(row) else { return }
        row.updatedAt = Timestamp.now().rfc3339
        active[row.id] = row
        let updated = row
        try await store.transaction { db in try await updated.update(in: db) }
    }
}
