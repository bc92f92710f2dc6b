import Logging
import PlatformContracts
import ServiceLifecycle

/// Finding, ending and expiring sessions: the control plane's bookkeeping behind open,
/// refresh and revoke, and ``run()``, the `Service` that ends sessions with their instance
/// and expires them.
extension ConnectService {
    /// One session by id, whatever its state.
    func sessionRecord(_ id: String) async throws -> ConnectSessionRecord {
        guard let found = try await repository.record(id, nowMs: clock.nowMilliseconds()) else {
            throw PlatformError(.connectSessionNotFound, "no session \(id)")
        }
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
        guard record.state == "active", let grant = live.grant(record.id) else {
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
        let audits = live.grants(ids).map { grant in
            (event: AuditEvent(actor: PrincipalID(actor), action: action, target: "instance/\(grant.instanceId)", outcome: .success,
                               requestID: requestID, details: ["session": grant.sessionId, "reason": reason, "owner": grant.principalId],
                               project: grant.projectId),
             tenant: grant.tenantId)
        }
        try await repository.end(ids, at: clock.now().rfc3339, reason: reason, audits: audits)
        live.end(ids)
    }

    /// Every session of an instance that stopped being connectable ends with it.
    func instanceEnded(_ instanceId: String) async {
        let ids = live.sessions(of: instanceId)
        guard !ids.isEmpty else { return }
        do {
            try await end(ids, reason: "instance \(instanceId) stopped", actor: "platformd", action: "apps.connect.revoke", requestID: nil)
        } catch {
            // Memory first: whatever the store says, nothing reaches a stopping instance.
            live.end(ids)
            logger.error("could not record the end of connect sessions", metadata: ["instance": "\(instanceId)", "error": "\(error)"])
        }
    }

    /// Loads the live sessions, ends those whose instance is gone, then ends sessions with
    /// their instance and expires them (closing their tunnels) twice a second until shutdown.
    public func run() async throws {
        try? await instances.awaitRecovery()
        do {
            let grants = try await repository.liveGrants(at: clock.nowMilliseconds())
            live.put(grants)
            for instance in Set(grants.map(\.instanceId)) where !targets.isConnectable(instance) {
                await instanceEnded(instance)
            }
        } catch {
            logger.error("cannot load connect sessions", metadata: ["error": "\(error)"])
            live.put([])
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.endSessionsOfStoppedInstances() }
                await self.expireUntilCancelled()
                group.cancelAll()
            }
        }
    }

    /// Ends the sessions of every instance that leaves `running`/`ready` (stopping or terminal).
    func endSessionsOfStoppedInstances() async {
        for await change in phaseChanges where change.to.isTerminal || change.to == .stopping {
            await instanceEnded(change.instance)
        }
    }

    /// Expires sessions (closing their tunnels) twice a second until cancelled.
    func expireUntilCancelled() async {
        while !Task.isCancelled {
            live.expire(at: clock.nowMilliseconds())
            try? await clock.sleep(for: .milliseconds(500))
        }
    }
}
