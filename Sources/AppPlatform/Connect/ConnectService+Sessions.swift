import Logging
import PlatformContracts
import PlatformStore
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
        guard record.state == "active", let grant = try await verifier.currentGrant(record.id) else {
            throw PlatformError(.connectSessionNotFound, "session \(session) is \(record.state); open a new one", details: ["state": record.state])
        }
        guard grant.principalId == caller.principalId || mayManage else {
            throw PlatformError(.connectSessionNotFound, "no session \(session) of yours in project \(record.projectId)")
        }
        return grant
    }

    /// Ends sessions now: the rows say why (each end audited once, whichever replica ends
    /// it), the live copies go and their tunnels close, here and on every replica.
    func end(_ ids: [String], reason: String, actor: String, action: String, requestID: String?) async throws {
        try await repository.end(ids, at: clock.now().rfc3339, reason: reason) { grant in
            AuditEvent(actor: PrincipalID(actor), action: action, target: "instance/\(grant.instanceId)", outcome: .success,
                       requestID: requestID, details: ["session": grant.sessionId, "reason": reason, "owner": grant.principalId],
                       project: grant.projectId)
        }
        live.end(ids)
    }

    /// Every session of an instance that stopped being connectable ends with it.
    func instanceEnded(_ instanceId: String) async {
        // Those held here, and those other replicas opened (the end's NOTIFY closes their tunnels there).
        let held = live.sessions(of: instanceId)
        let stored = (try? await repository.unendedSessions(ofInstance: instanceId)) ?? []
        let ids = Array(Set(held + stored)).sorted()
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
            let nowMs = clock.nowMilliseconds()
            let grants = try await repository.liveGrants(at: nowMs)
            live.put(grants, loadedAtMs: nowMs)
            // An instance another replica supervises is judged by its stored row: ending its
            // sessions here would end them for every replica.
            for instance in Set(grants.map(\.instanceId)) where !(try await targets.isConnectableHereOrStored(instance)) {
                await instanceEnded(instance)
            }
        } catch {
            logger.error("cannot load connect sessions", metadata: ["error": "\(error)"])
            live.put([], loadedAtMs: 0)
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.endSessionsOfStoppedInstances() }
                group.addTask { await self.hearOtherReplicas() }
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

    /// Expires sessions (closing their tunnels) twice a second until cancelled, and reads
    /// again those held longer than the budget: an end whose notification was lost still
    /// closes its tunnels within the budget.
    func expireUntilCancelled() async {
        while !Task.isCancelled {
            let nowMs = clock.nowMilliseconds()
            live.expire(at: nowMs)
            await revalidate(live.staleSessions(nowMs: nowMs))
            try? await clock.sleep(for: .milliseconds(500))
        }
    }

    /// Listens on ``StoreChannel/connect`` until cancelled: ends and changes committed by any
    /// replica reach this one's memory. While not listening, nothing is served from memory;
    /// when listening (again), every held session is read again first.
    func hearOtherReplicas() async {
        let (events, continuation) = AsyncStream.makeStream(of: StoreChannelEvent.self)
        await withDiscardingTaskGroup { group in
            group.addTask { [repository, logger] in
                await repository.store.listen(.connect, logger: logger) { continuation.yield($0) }
                continuation.finish()
            }
            for await event in events {
                switch event {
                case .listening:
                    await revalidate(live.sessionIds)
                    live.setListening(true)
                case .lost:
                    live.setListening(false)
                case .notified(let payload):
                    switch ConnectSessionChange(payload: payload) {
                    case .ended(let ids): live.end(ids.filter { live.grant($0) != nil })
                    case .changed(let ids): await revalidate(ids.filter { live.grant($0) != nil })
                    case nil: logger.debug("unknown connect change", metadata: ["payload": "\(payload.prefix(80))"])
                    }
                }
            }
        }
    }

    /// Reads held sessions again: those still live (and whose instance may be connected to)
    /// are replaced by the table's copy, the rest end here and their tunnels close. A failed
    /// read leaves them stale, so they are not served from memory.
    func revalidate(_ ids: [String]) async {
        guard !ids.isEmpty else { return }
        let nowMs = clock.nowMilliseconds()
        do {
            let stored = try await repository.unendedGrants(ids).filter { !$0.isExpired(at: nowMs) }
            var connectable: [String: Bool] = [:]
            for instance in Set(stored.map(\.instanceId)) {
                connectable[instance] = try await targets.isConnectableHereOrStored(instance)
            }
            let live = stored.filter { connectable[$0.instanceId] == true }
            self.live.refresh(live, loadedAtMs: nowMs)
            let kept = Set(live.map(\.sessionId))
            let over = ids.filter { !kept.contains($0) }
            if !over.isEmpty { self.live.end(over) }
        } catch {
            logger.warning("cannot read connect sessions again", metadata: ["sessions": "\(ids.count)", "error": "\(error)"])
        }
    }
}
