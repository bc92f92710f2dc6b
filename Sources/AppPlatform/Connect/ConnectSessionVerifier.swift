import PlatformContracts

/// The data plane's checks: the bearer token or cookie of a proxied request or tunnel, and
/// the one-time launch code of a web session. Live grants are answered from memory; only a
/// session this process has not loaded yet costs a read. Every refusal is the same
/// ``ErrorCode/connectSessionNotFound`` (404 at the edge: nothing to learn), audited.
struct ConnectSessionVerifier: Sendable {
    let repository: ConnectSessionRepository
    let live: LiveConnectGrants
    let targets: ConnectTargets
    /// The supervised instances (activity is only noted for those).
    let instances: LiveInstances
    /// Connect activity per instance, which the supervisor's idle stop reads.
    let activity: InstanceActivity
    let clock: any PlatformClock

    /// Checks a credential (bearer token or cookie) for a request to `instance`'s `action`.
    func authorize(credential: String?, instance: String, action: String, requestID: String?) async throws -> ConnectGrant {
        let grant = try await liveGrant(credential: credential, target: ConnectPathPrefix.prefix(instance: instance, action: action) + "/", requestID: requestID)
        guard grant.instanceId == instance.uppercased(), grant.action == action else {
            let reason = "a session of instance \(grant.instanceId) action \(grant.action) was presented for instance \(instance) action \(action)"
            await repository.recordDenial(actor: grant.principalId, target: "instance/\(instance)", code: .connectSessionNotFound,
                                          reason: reason, requestID: requestID, tenant: grant.tenantId, project: grant.projectId)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this instance and action")
        }
        noteActivity(grant.instanceId)
        return grant
    }

    /// Checks a bearer token for the tunnel of session `session`.
    func authorizeTunnel(credential: String?, session: String, requestID: String?) async throws -> ConnectGrant {
        let grant = try await liveGrant(credential: credential, target: "/connect/\(session)/tunnel", requestID: requestID)
        guard grant.sessionId == session.uppercased() else {
            await repository.recordDenial(actor: grant.principalId, target: "session/\(session)", code: .connectSessionNotFound,
                                          reason: "the token of session \(grant.sessionId) was presented for session \(session)",
                                          requestID: requestID, tenant: grant.tenantId, project: grant.projectId)
            throw PlatformError(.connectSessionNotFound, "no live connect session \(session)")
        }
        noteActivity(grant.instanceId)
        return grant
    }

    /// Exchanges a web session's one-time launch code for a cookie secret (the code works
    /// once, until the expiry stored when the session was opened).
    func redeem(session: String, code: String, requestID: String?) async throws -> (grant: ConnectGrant, cookie: String) {
        let denied = PlatformError(.connectSessionNotFound, "this launch link was used already, has expired or was never valid; run appctl connect again")
        guard let parsed = ConnectSecret.parse(code), parsed.session == session.uppercased(),
              let grant = try await currentGrant(parsed.session) else {
            await repository.recordDenial(actor: "anonymous", target: "session/\(session)", code: .connectSessionNotFound,
                                          reason: "unknown launch code", requestID: requestID, tenant: nil, project: nil)
            throw denied
        }
        let cookie = ConnectSecret.make(session: grant.sessionId)
        let redeemed = try await repository.redeemLaunchCode(session: grant.sessionId, codeHash: parsed.hash, cookieHash: cookie.hash,
                                                             nowMs: clock.nowMilliseconds())
        guard redeemed else {
            await repository.recordDenial(actor: grant.principalId, target: "session/\(session)", code: .connectSessionNotFound,
                                          reason: "launch code reused or expired", requestID: requestID, tenant: grant.tenantId,
                                          project: grant.projectId)
            throw denied
        }
        var updated = grant
        updated.cookieHash = cookie.hash
        live.update(grant.sessionId) { $0.cookieHash = cookie.hash }
        return (updated, cookie.text)
    }

    /// Records connect activity for the instance's idle detection (only while it is supervised).
    func noteActivity(_ instanceId: String) {
        guard instances.row(instanceId) != nil else { return }
        activity.note(instanceId, atMs: clock.nowMilliseconds())
    }

    /// The live grant a credential opens, or a denial (audited).
    private func liveGrant(credential: String?, target: String, requestID: String?) async throws -> ConnectGrant {
        guard let credential, let parsed = ConnectSecret.parse(credential) else {
            await repository.recordDenial(actor: "anonymous", target: target, code: .connectSessionNotFound,
                                          reason: credential == nil ? "no session credential" : "malformed session credential",
                                          requestID: requestID, tenant: nil, project: nil)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this path; open one with appctl connect")
        }
        let matches = { (grant: ConnectGrant) in
            ConnectSecret.matches(parsed.hash, grant.tokenHash) || ConnectSecret.matches(parsed.hash, grant.cookieHash)
        }
        var found = try await currentGrant(parsed.session)
        if let cached = found, !matches(cached) {
            // A launch code redeemed on another replica: the cookie is in the table, not yet here.
            found = try await currentGrant(parsed.session, fromTable: true)
        }
        guard let grant = found, matches(grant) else {
            await repository.recordDenial(actor: "anonymous", target: target, code: .connectSessionNotFound,
                                          reason: "session \(parsed.session) is not live or the secret does not match",
                                          requestID: requestID, tenant: nil, project: nil)
            throw PlatformError(.connectSessionNotFound, "no live connect session for this path; it expired, was revoked or ended with its instance")
        }
        return grant
    }

    /// The live grant of a session: from memory while fresh (``LiveConnectGrants``), else from
    /// the table when it is still live there (opened on another replica, changed there, or
    /// read longer than the budget ago). A held session the table says is over ends here too,
    /// closing its tunnels.
    /// - Parameter fromTable: Read the table even if memory holds a fresh copy.
    func currentGrant(_ session: String, fromTable: Bool = false) async throws -> ConnectGrant? {
        let nowMs = clock.nowMilliseconds()
        if !fromTable, let grant = live.freshGrant(session, nowMs: nowMs) { return grant.isExpired(at: nowMs) ? nil : grant }
        let generation = live.generation
        guard let stored = try await repository.unendedGrant(session), !stored.isExpired(at: nowMs),
              try await targets.isConnectableHereOrStored(stored.instanceId) else {
            if live.grant(session) != nil { live.end([session]) }
            return nil
        }
        live.put([stored], loadedAtMs: nowMs, ifUnchangedSince: generation)
        return stored
    }
}
