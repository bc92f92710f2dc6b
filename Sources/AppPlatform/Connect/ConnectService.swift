import Foundation
import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit
import Synchronization

/// Connect sessions: short-lived credentials bound to (instance, connect action, principal,
/// project), persisted, refreshable while the instance lives, revocable, ended with the
/// instance. The live ones are held in memory so the data plane (web proxy, tunnels) checks
/// a request without a database read; ``run()`` expires them and closes their tunnels.
public final class ConnectService: Service, Sendable {
    /// Tunables.
    public struct Settings: Sendable {
        /// The policy's longest credential lifetime (seconds); a manifest may only ask for less.
        public var maximumTTLSeconds = 900
        /// How long a web session's one-time launch URL works.
        public var launchCodeSeconds: Int64 = 120
        /// The login user of SSH certificates.
        public var sshUser = "root"

        /// Defaults.
        public init() {}
    }

    /// Counters the HTTP edge exports (`/metrics`).
    public struct Observers: Sendable {
        /// The number of active sessions, after every change.
        public var activeSessions: @Sendable (Int) -> Void = { _ in }

        /// No-op observers.
        public init() {}
    }

    let store: SQLStore
    let identity: any Authorizer
    let audit: any TransactionalAuditing
    let instances: InstanceService
    /// Instance addresses and connect actions, and whether an instance may be reached.
    let targets: ConnectTargets
    /// Phase changes of instances: sessions end when theirs leaves `running`/`ready`.
    let phaseChanges: AsyncStream<InstancePhaseChange>
    let clock: any PlatformClock
    let authority: SSHCertificateAuthority
    let settings: Settings
    let observers: Observers
    let logger: Logger
    /// Session opens commit together (group commit) rather than one writer at a time.
    let writer: WriteBatcher
    /// Live sessions by id.
    let live = Mutex<[String: ConnectGrant]>([:])
    /// Open tunnels and WebSockets per session: closing them is how a revoke takes effect at once.
    let tunnels = Mutex<[String: [UUID: @Sendable () -> Void]]>([:])
    /// Creates the service and subscribes to instances' phase changes (consumed by ``run()``).
    public init(store: SQLStore, identity: any Authorizer, audit: any TransactionalAuditing, instances: InstanceService,
                authority: SSHCertificateAuthority, settings: Settings = .init(), observers: Observers = .init(),
                clock: any PlatformClock = SystemClock(), logger: Logger) async {
        self.store = store
        self.identity = identity
        self.audit = audit
        self.instances = instances
        self.targets = instances.targets
        self.phaseChanges = instances.phaseChanges.subscribe()
        self.clock = clock
        self.authority = authority
        self.settings = settings
        self.observers = observers
        self.logger = logger
        self.writer = WriteBatcher(store: store)
    }

    /// Opens a session. Refusals: ``ErrorCode/instanceNotFound`` (also another project's),
    /// ``ErrorCode/connectActionNotFound``, ``ErrorCode/iamForbidden`` (the manifest's connect
    /// scopes), ``ErrorCode/connectInstanceNotReady``, ``ErrorCode/connectTTLExceedsPolicy``,
    /// ``ErrorCode/connectSSHKeyInvalid``; each is audited as `apps.connect.deny`.
    /// - Parameter grants: The request's authorization (the edge's one IAM decision), from which
    ///   the manifest's connect scopes are decided; `nil` asks the authorizer once for all of them.
    public func open(project: Project, instance: String, _ request: ConnectRequest, by caller: Caller, grants: Grants? = nil,
                     requestID: String?) async throws -> ConnectSessionRecord {
        let target: ConnectTarget
        do {
            target = try await targets.target(in: project, id: instance)
        } catch let error as PlatformError where [.instanceNotFound, .iamNotFound].contains(error.code) {
            await recordDenial(actor: caller.principalId, target: "instance/\(instance)", code: error.code, reason: error.message,
                               requestID: requestID, tenant: caller.tenantId, project: caller.projectId)
            throw error
        }
        do {
            return try await admit(target, request, caller: caller, grants: grants, requestID: requestID)
        } catch let error as PlatformError where error.code != .storeUnavailable && error.code != .auditUnavailable {
            await recordDenial(actor: caller.principalId, target: "instance/\(target.id)", code: error.code, reason: error.message,
                               requestID: requestID, tenant: target.tenantId, project: target.projectId)
            throw error
        }
    }

    private func admit(_ target: ConnectTarget, _ request: ConnectRequest, caller: Caller, grants: Grants?,
                       requestID: String?) async throws -> ConnectSessionRecord {
        let action = try Self.action(of: target, named: request.action, endpoint: request.endpoint, type: request.type)
        let decided = if let grants { grants } else { try await identity.authorize(caller) }
        if let denied = decided.firstDenied(["apps:instance:connect"] + target.connectScopes + action.scopes) {
            throw PlatformError(.iamForbidden, "\(denied.reason); the manifest says connecting needs \(denied.scope)",
                                details: ["scope": denied.scope])
        }
        guard targets.isConnectable(target.id) else {
            throw PlatformError(.connectInstanceNotReady, "instance \(target.id) is \(target.phase.name); connect when it is running or ready",
                                details: ["phase": target.phase.name])
        }
        guard let port = target.ports[action.endpoint] else {
            throw PlatformError(.connectActionNotFound, "endpoint \(action.endpoint) of action \(action.name) has no port on instance \(target.id)")
        }
        let ttl = try ttlSeconds(request.ttlSeconds, action: action)
        let id = ULID().description
        let now = clock.now()
        let expiresMs = Int64(now.millisecondsSinceEpoch) + Int64(ttl) * 1000
        let token = ConnectSecret.make(session: id)
        let launch = action.type == "web" ? ConnectSecret.make(session: id) : nil
        let ssh = try sshAccess(action: action, key: request.sshPublicKey, instance: target.id, session: id, expiresMs: expiresMs)
        let grant = ConnectGrant(sessionId: id, target: target, action: action, principalId: caller.principalId, port: port,
                                 expiresAtMs: expiresMs, tokenHash: token.hash)
        let audit = self.audit
        let launchExpires = Int64(now.millisecondsSinceEpoch) + settings.launchCodeSeconds * 1000
        try await writer.write { db in
            try await db.insert(into: "apps_connect_sessions")
                .columns("id", "instance_id", "project_id", "tenant_id", "principal_id", "action", "type", "endpoint", "host", "port",
                         "token_hash", "launch_hash", "launch_expires_ms", "cookie_hash", "created_at", "expires_at_ms", "ended_at", "ended_reason")
                .values(SQLBind(id), SQLBind(target.id), SQLBind(target.projectId), SQLBind(target.tenantId), SQLBind(caller.principalId),
                        SQLBind(action.name), SQLBind(action.type), SQLBind(action.endpoint), SQLBind(target.host), SQLBind(port),
                        SQLBind(token.hash), SQLBind(launch?.hash), SQLBind(launch == nil ? nil : launchExpires), SQLBind(String?.none),
                        SQLBind(now.rfc3339), SQLBind(expiresMs), SQLBind(String?.none), SQLBind(String?.none))
                .run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.connect.start", target: "instance/\(target.id)",
                           outcome: .success, requestID: requestID,
                           details: ["session": id, "action": action.name, "type": action.type, "ttl_seconds": String(ttl),
                                     "ssh_certificate": ssh == nil ? "no" : "yes"],
                           project: target.projectId),
                tenant: target.tenantId, in: db)
        }
        live.withLock { $0[id] = grant }
        publishCount()
        noteActivity(target.id)
        var record = Self.record(grant, createdAt: now.rfc3339, state: "active")
        record.token = token.text
        record.launchURL = launch.map { "/connect/\(id)/launch?code=\($0.text)" }
        record.ssh = ssh
        return record
    }

    /// Extends a live session from now; SSH sessions may get a new certificate.
    /// - Throws: ``ErrorCode/connectSessionNotFound`` (ended, expired, another project's),
    ///   ``ErrorCode/connectInstanceNotReady``, ``ErrorCode/connectTTLExceedsPolicy``.
    public func refresh(project: Project, session: String, _ request: ConnectRefreshRequest, by caller: Caller,
                        requestID: String?) async throws -> ConnectSessionRecord {
        var grant = try await ownedLiveGrant(project: project, session: session, caller: caller, mayManage: false)
        let target = try await targets.target(in: project, id: grant.instanceId)
        guard let action = target.actions.first(where: { $0.name == grant.action }) else {
            throw PlatformError(.connectActionNotFound, "the app no longer has connect action \(grant.action)")
        }
        guard targets.isConnectable(grant.instanceId) else {
            throw PlatformError(.connectInstanceNotReady, "instance \(grant.instanceId) is \(target.phase.name); its sessions cannot be refreshed")
        }
        let ttl = try ttlSeconds(request.ttlSeconds, action: action)
        grant.expiresAtMs = clock.nowMilliseconds() + Int64(ttl) * 1000
        let ssh = try sshAccess(action: action, key: request.sshPublicKey, instance: grant.instanceId, session: grant.sessionId,
                                expiresMs: grant.expiresAtMs)
        let updated = grant
        let audit = self.audit
        try await store.transaction { db in
            try await db.update("apps_connect_sessions").set("expires_at_ms", to: SQLBind(updated.expiresAtMs))
                .where("id", .equal, updated.sessionId).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.connect.refresh", target: "instance/\(updated.instanceId)",
                           outcome: .success, requestID: requestID, details: ["session": updated.sessionId, "ttl_seconds": String(ttl)],
                           project: updated.projectId),
                tenant: updated.tenantId, in: db)
        }
        live.withLock { $0[grant.sessionId]?.expiresAtMs = updated.expiresAtMs }
        var record = try await sessionRecord(grant.sessionId)
        record.ssh = ssh
        return record
    }

    /// Revokes a session now and closes its tunnels. The owner may revoke it, and so may a
    /// caller who can launch (stop) instances in the project. Revoking an ended session
    /// returns it unchanged.
    /// - Parameter grants: The request's authorization; `nil` asks the authorizer.
    public func revoke(project: Project, session: String, by caller: Caller, grants: Grants? = nil,
                       requestID: String?) async throws -> ConnectSessionRecord {
        let record = try await sessionRecord(project: project, session: session, caller: caller)
        guard record.state == "active" else { return record }
        if record.principalId != caller.principalId {
            let decided = if let grants { grants } else { try await identity.authorize(caller) }
            if case .deny = decided.decision(for: "apps:instance:launch") {
                throw PlatformError(.connectSessionNotFound, "no session \(session) of yours in project \(record.projectId)")
            }
        }
        // The stored id, not the caller's spelling of it: ending matches ids exactly.
        try await end([record.id], reason: "revoked by \(caller.principalName)", actor: caller.principalId, action: "apps.connect.revoke",
                      requestID: requestID)
        return try await sessionRecord(record.id)
    }

    /// A project's sessions (optionally one instance's), newest first, without secrets.
    public func list(project: Project, instance: String?) async throws -> [ConnectSessionRecord] {
        let nowMs = clock.nowMilliseconds()
        return try await store.read { db in
            var query = db.select().columns("*").from("apps_connect_sessions").where("project_id", .equal, project.id)
            if let instance { query = query.where("instance_id", .equal, instance.uppercased()) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending).limit(500).all()
                .map { try Self.record(row: $0, nowMs: nowMs) }
        }
    }

    /// The action a request names (by action or endpoint), or the app's first.
    static func action(of target: ConnectTarget, named name: String?, endpoint: String?,
                       type: String? = nil) throws(PlatformError) -> ConnectTarget.Action {
        let found = if let name { target.actions.first { $0.name == name } } else if let endpoint {
            target.actions.first { $0.endpoint == endpoint }
        } else if let type { target.actions.first { $0.type == type } } else { target.actions.first }
        guard let found else {
            let wanted = name.map { "connect action \($0)" } ?? endpoint.map { "a connect action for endpoint \($0)" }
                ?? type.map { "a \($0) connect action" } ?? "a connect action"
            throw PlatformError(.connectActionNotFound, "the app of instance \(target.id) has no \(wanted)",
                                details: ["actions": target.actions.map { "\($0.name) (\($0.type) → \($0.endpoint))" }.joined(separator: ", ")])
        }
        return found
    }

    /// The lifetime to grant: the request's, at most the action's and the policy's.
    func ttlSeconds(_ requested: Int?, action: ConnectTarget.Action) throws(PlatformError) -> Int {
        let maximum = min(action.credentialTTLSeconds ?? settings.maximumTTLSeconds, settings.maximumTTLSeconds)
        let ttl = requested ?? maximum
        guard ttl <= maximum else {
            throw PlatformError(.connectTTLExceedsPolicy, "a \(ttl) s session is longer than \(action.name) allows (\(maximum) s)",
                                details: ["maximumSeconds": String(maximum)])
        }
        guard ttl >= 1 else { throw PlatformError(.connectTTLExceedsPolicy, "ttlSeconds must be at least 1", details: ["maximumSeconds": String(maximum)]) }
        return ttl
    }

    func sshAccess(action: ConnectTarget.Action, key: String?, instance: String, session: String,
                   expiresMs: Int64) throws(PlatformError) -> ConnectSessionRecord.SSHAccess? {
        guard let key else { return nil }
        guard action.type == "ssh" else {
            throw PlatformError(.connectSSHKeyInvalid, "sshPublicKey is only for ssh actions; \(action.name) is \(action.type)")
        }
        let validBefore = Date(timeIntervalSince1970: Double(expiresMs) / 1000)
        let certificate = try authority.certify(publicKeyLine: key, principal: instance, keyID: "session-\(session)", validBefore: validBefore)
        return .init(certificate: certificate, user: settings.sshUser, principal: instance,
                     validBefore: Timestamp(millisecondsSinceEpoch: UInt64(expiresMs)).rfc3339)
    }
}
