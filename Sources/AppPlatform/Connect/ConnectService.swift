import Logging
import PlatformContracts
import PlatformStore
import ServiceLifecycle

/// Connect sessions, the control plane: short-lived credentials bound to (instance, connect
/// action, principal, project), opened, refreshed, revoked and listed here, ended with their
/// instance (a subscriber of the instances' phase changes) and expired by ``run()``.
///
/// - ``ConnectSessionRepository``: every read and write of the sessions' table, each with its audit record.
/// - ``LiveConnectGrants``: the live sessions and their open tunnels, in memory: a cache of
///   the table within a freshness budget, told of other replicas' ends and changes through
///   ``StoreChannel/connect`` (see `+Sessions`).
/// - ``ConnectSessionVerifier``: the data plane's checks (token, cookie, launch code), see `+DataPlane`.
/// - ``ConnectSessionPolicy``: which action, how long, which SSH certificate.
public final class ConnectService: Service, Sendable {
    /// Tunables.
    public struct Settings: Sendable {
        /// The policy's longest credential lifetime (seconds); a manifest may only ask for less.
        public var maximumTTLSeconds = 900
        /// How long a web session's one-time launch URL works.
        public var launchCodeSeconds: Int64 = 120
        /// The login user of SSH certificates.
        public var sshUser = "root"
        /// How long a session read from the table is served from memory before it is read
        /// again (the same budget as the IAM read model's: a session is a credential too).
        public var freshnessBudget: Duration = .seconds(5)

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

    let repository: ConnectSessionRepository
    let live: LiveConnectGrants
    let verifier: ConnectSessionVerifier
    let policy: ConnectSessionPolicy
    let identity: any Authorizer
    let instances: InstanceService
    /// Instance addresses and connect actions, and whether an instance may be reached.
    let targets: ConnectTargets
    /// Phase changes of instances: sessions end when theirs leaves `running`/`ready`.
    let phaseChanges: AsyncStream<InstancePhaseChange>
    let clock: any PlatformClock
    let settings: Settings
    let logger: Logger

    /// Creates the service and subscribes to instances' phase changes (consumed by ``run()``).
    /// - Parameter clock: Every timestamp and wait of connect (expiry sweeps, session lifetimes).
    public init(store: SQLStore, identity: any Authorizer, audit: any TransactionalAuditing, instances: InstanceService,
                authority: SSHCertificateAuthority, settings: Settings = .init(), observers: Observers = .init(),
                clock: any PlatformClock = SystemClock(), logger: Logger) async {
        let repository = ConnectSessionRepository(store: store, audit: audit, logger: logger)
        let live = LiveConnectGrants(budgetMs: settings.freshnessBudget.wholeMilliseconds,
                                     listening: store.backend == .sqlite, onCount: observers.activeSessions)
        self.repository = repository
        self.live = live
        self.verifier = ConnectSessionVerifier(repository: repository, live: live, targets: instances.targets, instances: instances.live,
                                               activity: instances.activity, clock: clock)
        self.policy = ConnectSessionPolicy(settings: settings, authority: authority, clock: clock)
        self.identity = identity
        self.instances = instances
        self.targets = instances.targets
        self.phaseChanges = instances.phaseChanges.subscribe()
        self.clock = clock
        self.settings = settings
        self.logger = logger
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
            await repository.recordDenial(actor: caller.principalId, target: "instance/\(instance)", code: error.code, reason: error.message,
                                          requestID: requestID, tenant: caller.tenantId, project: caller.projectId)
            throw error
        }
        do {
            return try await admit(target, request, caller: caller, grants: grants, requestID: requestID)
        } catch let error as PlatformError where error.code != .storeUnavailable && error.code != .auditUnavailable {
            await repository.recordDenial(actor: caller.principalId, target: "instance/\(target.id)", code: error.code, reason: error.message,
                                          requestID: requestID, tenant: target.tenantId, project: target.projectId,
                                          policySnapshot: error.details["policy_snapshot"])
            throw error
        }
    }

    private func admit(_ target: ConnectTarget, _ request: ConnectRequest, caller: Caller, grants: Grants?,
                       requestID: String?) async throws -> ConnectSessionRecord {
        let action = try ConnectSessionPolicy.action(of: target, named: request.action, endpoint: request.endpoint, type: request.type)
        let snapshot = try await authorityPolicy(for: action, project: target.projectId, tenant: target.tenantId)
        let decided = if let grants { grants } else { try await identity.authorize(caller) }
        if let denied = decided.firstDenied(["apps:instance:connect"] + target.connectScopes + action.scopes) {
            throw PlatformError(.iamForbidden, "\(denied.reason); the manifest says connecting needs \(denied.scope)",
                                details: ["scope": denied.scope])
        }
        guard target.isConnectable else {
            throw PlatformError(.connectInstanceNotReady, "instance \(target.id) is \(target.phase.name); connect when it is running or ready",
                                details: ["phase": target.phase.name])
        }
        guard let port = target.ports[action.endpoint] else {
            throw PlatformError(.connectActionNotFound, "endpoint \(action.endpoint) of action \(action.name) has no port on instance \(target.id)")
        }
        let ttl = try policy.ttlSeconds(request.ttlSeconds, action: action)
        let id = ULID().description
        let now = clock.now()
        let expiresMs = Int64(now.millisecondsSinceEpoch) + Int64(ttl) * 1000
        let token = ConnectSecret.make(session: id)
        let launch = action.type == "web" ? ConnectSecret.make(session: id) : nil
        let ssh = try policy.sshAccess(action: action, key: request.sshPublicKey, instance: target.id, session: id, expiresMs: expiresMs)
        let grant = ConnectGrant(sessionId: id, target: target, action: action, principalId: caller.principalId, port: port,
                                 expiresAtMs: expiresMs, tokenHash: token.hash)
        let launchExpires = Int64(now.millisecondsSinceEpoch) + settings.launchCodeSeconds * 1000
        try await repository.insert(
            grant, createdAt: now.rfc3339, launch: launch.map { (hash: $0.hash, expiresMs: launchExpires) },
            audit: AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.connect.start", target: "instance/\(target.id)",
                              outcome: .success, requestID: requestID,
                              details: ["session": id, "action": action.name, "type": action.type, "ttl_seconds": String(ttl),
                                        "ssh_certificate": ssh == nil ? "no" : "yes", "policy_snapshot": snapshot.id],
                              project: target.projectId))
        live.put([grant], loadedAtMs: Int64(now.millisecondsSinceEpoch))
        verifier.noteActivity(target.id)
        var record = ConnectSessionRepository.record(grant, createdAt: now.rfc3339, state: "active")
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
        guard target.isConnectable else {
            throw PlatformError(.connectInstanceNotReady, "instance \(grant.instanceId) is \(target.phase.name); its sessions cannot be refreshed")
        }
        let snapshot = try await authorityPolicy(for: action, project: grant.projectId, tenant: target.tenantId)
        let ttl = try policy.ttlSeconds(request.ttlSeconds, action: action)
        grant.expiresAtMs = clock.nowMilliseconds() + Int64(ttl) * 1000
        let ssh = try policy.sshAccess(action: action, key: request.sshPublicKey, instance: grant.instanceId, session: grant.sessionId,
                                       expiresMs: grant.expiresAtMs)
        try await repository.extend(
            grant, audit: AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.connect.refresh", target: "instance/\(grant.instanceId)",
                                     outcome: .success, requestID: requestID, details: ["session": grant.sessionId, "ttl_seconds": String(ttl),
                                                                                   "policy_snapshot": snapshot.id],
                                     project: grant.projectId))
        let expiresAtMs = grant.expiresAtMs
        live.update(grant.sessionId) { $0.expiresAtMs = expiresAtMs }
        var record = try await sessionRecord(grant.sessionId)
        record.ssh = ssh
        return record
    }

    /// The policy snapshot a connect decision uses (an authority write: a stale one refuses
    /// with ``ErrorCode/policyStale``); an `ssh` action needs the `connect.ssh` flag.
    /// - Throws: ``ErrorCode/policyFeatureDisabled`` for an ssh action with the flag off.
    private func authorityPolicy(for action: ConnectTarget.Action, project: String, tenant: String) async throws -> PolicySnapshot {
        let snapshot = try await instances.policy.snapshot(for: .authority)
        if action.type == "ssh" {
            try snapshot.require(flag: "connect.ssh", project: project, tenant: tenant, for: "the ssh connect action \(action.name)")
        }
        return snapshot
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
        try await repository.list(project: project.id, instance: instance, nowMs: clock.nowMilliseconds())
    }
}
