import Logging
import Synchronization
import Foundation
import PlatformContracts
import PlatformStore
import ServiceLifecycle
import SQLKit

extension ConnectService {
    /// Checks a credential (bearer token or cookie) for a request to `instance`'s `action`.
    /// Anything but a live session of exactly that instance and action is
    /// ``ErrorCode/connectSessionNotFound`` (404 at the edge: nothing to learn), audited.
    public func authorize(credential: String?, instance: String, action: String, requestID: String?) async throws -> ConnectGrant {
        let grant = try await liveGrant(credential: credential, target: "/i/\(instance)/\(action)/", requestID: requestID)
        guard grant.instanceId == instance.uppercased(), grant.action == action else {
            let reason = "a session of instance \(grant.instanceId) action \(grant.action) was presented for instance \(instance) action \(action)"
            await recordDenial(actor: grant.principalId, target: "instance/\(instance)", code: .connectSessionNotFound, reason: reason,
                               requestID: requestID, tenant: grant.tenantId, project: grant.projectId)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this instance and action")
        }
        noteActivity(grant.instanceId)
        return grant
    }

    /// Checks a bearer token for the tunnel of session `session`.
    public func authorizeTunnel(credential: String?, session: String, requestID: String?) async throws -> ConnectGrant {
        let grant = try await liveGrant(credential: credential, target: "/connect/\(session)/tunnel", requestID: requestID)
        guard grant.sessionId == session.uppercased() else {
            await recordDenial(actor: grant.principalId, target: "session/\(session)", code: .connectSessionNotFound,
                               reason: "the token of session \(grant.sessionId) was presented for session \(session)",
                               requestID: requestID, tenant: grant.tenantId, project: grant.projectId)
            throw PlatformError(.connectSessionNotFound, "no live connect session \(session)")
        }
        noteActivity(grant.instanceId)
        return grant
    }

    /// Exchanges a web session's one-time launch code for a cookie secret (the code works
    /// once, within ``Settings/launchCodeSeconds``).
    public func redeem(session: String, code: String, requestID: String?) async throws -> (grant: ConnectGrant, cookie: String) {
        let denied = PlatformError(.connectSessionNotFound, "this launch link was used already, has expired or was never valid; run appctl connect again")
        guard let parsed = ConnectSecret.parse(code), parsed.session == session.uppercased(),
              let grant = try await currentGrant(parsed.session) else {
            await recordDenial(actor: "anonymous", target: "session/\(session)", code: .connectSessionNotFound, reason: "unknown launch code",
                               requestID: requestID, tenant: nil, project: nil)
            throw denied
        }
        let cookie = ConnectSecret.make(session: grant.sessionId)
        let nowMs = clock.nowMilliseconds()
        // One statement decides the race: only the first redemption of a valid code updates a row.
        let redeemed = try await store.transaction { db in
            let row = try await db.select().columns("launch_hash", "launch_expires_ms").from("apps_connect_sessions")
                .where("id", .equal, grant.sessionId).first()
            guard let row, let stored = try row.decode(column: "launch_hash", as: String?.self),
                  ConnectSecret.matches(parsed.hash, stored),
                  (try row.decode(column: "launch_expires_ms", as: Int64?.self) ?? 0) > nowMs else { return false }
            try await db.update("apps_connect_sessions").set("launch_hash", to: SQLBind(String?.none))
                .set("cookie_hash", to: SQLBind(cookie.hash)).where("id", .equal, grant.sessionId).where("launch_hash", .equal, stored).run()
            return true
        }
        guard redeemed else {
            await recordDenial(actor: grant.principalId, target: "session/\(session)", code: .connectSessionNotFound,
                               reason: "launch code reused or expired", requestID: requestID, tenant: grant.tenantId, project: grant.projectId)
            throw denied
        }
        var updated = grant
        updated.cookieHash = cookie.hash
        live.withLock { $0[grant.sessionId]?.cookieHash = cookie.hash }
        return (updated, cookie.text)
    }

    /// Registers an open tunnel or WebSocket of a session; `close` runs when the session ends.
    /// - Returns: Its registration, or `nil` when the session ended meanwhile (close it now).
    public func registerTunnel(session: String, close: @escaping @Sendable () -> Void) -> UUID? {
        guard live.withLock({ $0[session] != nil }) else { return nil }
        let id = UUID()
        tunnels.withLock { $0[session, default: [:]][id] = close }
        return id
    }

    /// Forgets a closed tunnel.
    public func unregisterTunnel(session: String, id: UUID) {
        tunnels.withLock { table in
            table[session]?[id] = nil
            if table[session]?.isEmpty == true { table[session] = nil }
        }
    }

    /// The number of open tunnels and proxied WebSockets.
    public var openTunnels: Int { tunnels.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Records connect activity for the instance's idle detection (only while it is supervised).
    public func noteActivity(_ instanceId: String) {
        guard instances.live.row(instanceId) != nil else { return }
        instances.activity.note(instanceId, atMs: clock.nowMilliseconds())
    }

    /// Loads the live sessions, ends those whose instance is gone, then expires sessions
    /// (closing their tunnels) twice a second until shutdown.
    public func run() async throws {
        try? await instances.awaitRecovery()
        do {
            let nowMs = clock.nowMilliseconds()
            let rows = try await store.read { db in
                try await db.select().columns("*").from("apps_connect_sessions").where("ended_at", .is, SQLLiteral.null)
                    .where("expires_at_ms", .greaterThan, SQLBind(nowMs)).all().map(ConnectGrant.init(row:))
            }
            for grant in rows { live.withLock { $0[grant.sessionId] = grant } }
            for instance in Set(rows.map(\.instanceId)) where !targets.isConnectable(instance) {
                await instanceEnded(instance)
            }
        } catch {
            logger.error("cannot load connect sessions", metadata: ["error": "\(error)"])
        }
        publishCount()
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
            let nowMs = clock.nowMilliseconds()
            let expired = live.withLock { table -> [String] in
                let ids = table.values.filter { $0.isExpired(at: nowMs) }.map(\.sessionId)
                for id in ids { table[id] = nil }
                return ids
            }
            if !expired.isEmpty {
                closeTunnels(of: expired)
                publishCount()
            }
            try? await clock.sleep(for: .milliseconds(500))
        }
    }

    func closeTunnels(of sessions: [String]) {
        let closers = tunnels.withLock { table in sessions.flatMap { table.removeValue(forKey: $0)?.values.map { $0 } ?? [] } }
        for close in closers { close() }
    }

    /// The live grant a credential opens, or a denial (audited).
    func liveGrant(credential: String?, target: String, requestID: String?) async throws -> ConnectGrant {
        guard let credential, let parsed = ConnectSecret.parse(credential) else {
            await recordDenial(actor: "anonymous", target: target, code: .connectSessionNotFound,
                               reason: credential == nil ? "no session credential" : "malformed session credential",
                               requestID: requestID, tenant: nil, project: nil)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this path; open one with appctl connect")
        }
        guard let grant = try await currentGrant(parsed.session),
              ConnectSecret.matches(parsed.hash, grant.tokenHash) || ConnectSecret.matches(parsed.hash, grant.cookieHash) else {
            await recordDenial(actor: "anonymous", target: target, code: .connectSessionNotFound,
                               reason: "session \(parsed.session) is not live or the secret does not match",
                               requestID: requestID, tenant: nil, project: nil)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this path; it expired, was revoked or ended with its instance")
        }
        return grant
    }

    /// The live grant of a session: from memory, else from the store when it is still live
    /// there (sessions opened before this process loaded them).
    func currentGrant(_ session: String) async throws -> ConnectGrant? {
        let nowMs = clock.nowMilliseconds()
        if let grant = live.withLock({ $0[session] }) { return grant.isExpired(at: nowMs) ? nil : grant }
        let row = try await store.read { db in
            try await db.select().columns("*").from("apps_connect_sessions").where("id", .equal, session)
                .where("ended_at", .is, SQLLiteral.null).first().map(ConnectGrant.init(row:))
        }
        guard let row, !row.isExpired(at: nowMs), targets.isConnectable(row.instanceId) else { return nil }
        live.withLock { $0[session] = row }
        return row
    }
}
