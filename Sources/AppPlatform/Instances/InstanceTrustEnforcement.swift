import ArtifactRegistry
import Logging
import PlatformContracts
import PlatformStore
import SQLKit

/// Revocation reaches running instances.
///
/// Admission decides trust at launch; an instance already running keeps running whatever
/// happens to its artifact afterwards unless something acts. When the trust ledger demotes
/// artifacts (a signing key revoked) or an artifact is quarantined or revoked, every
/// non-terminal instance of the project running one of those digests whose artifact is now
/// quarantined, revoked or below its environment's required state is either stopped (cause
/// `artifact-untrusted`, audited as `apps.instance.stop`) or flagged (``InstanceRecord/trustFlag``,
/// audited as `apps.instance.flag`), as the project's `artifacts.quarantine_stops_instances`
/// policy flag says (default: flag).
extension InstanceService {
    /// The policy flag that turns flagging into stopping.
    static let quarantineStopsFlag = "artifacts.quarantine_stops_instances"

    /// Stops or flags the project's running instances of artifacts in `changes` that no longer
    /// meet their environment; returns the instances acted on (as they are now).
    @discardableResult
    public func enforceTrust(in project: Project, changes: [ArtifactTrustChange], by caller: Caller,
                             requestID: String?) async throws -> [InstanceRecord] {
        guard !changes.isEmpty else { return [] }
        let byDigest = Dictionary(changes.map { ($0.digest, $0) }) { _, last in last }
        let rows = try await repository.list(project: project.id).map { live.row($0.id) ?? $0 }
            .filter { !$0.isTerminal && !$0.stopRequested }
        var acted: [InstanceRecord] = []
        var stops: Bool?
        for row in rows {
            guard let digest = row.image.split(separator: "@").last.map(String.init), let change = byDigest[digest] else { continue }
            let required = supervisor.settings.environments[row.environment]
            guard change.to.rank < 0 || !(required.map { change.to.satisfies($0) } ?? true) else { continue }
            // The same words whoever notices it (the route or the sweep), so a flag is written once.
            let reason = "artifact-untrusted: \(digest) is \(change.to.rawValue)"
                + (required.map { "; \(row.environment) requires \($0.rawValue)" } ?? "")
            if stops == nil {
                let snapshot = await policy.read().snapshot
                stops = (try? snapshot.evaluateFlag(Self.quarantineStopsFlag, project: project.id, tenant: project.tenantId).value) == true
            }
            let details = ["reason": "artifact-untrusted", "digest": digest, "trust_state": change.to.rawValue,
                           "from_state": change.from.rawValue]
            if stops == true {
                acted.append(try await supervisor.requestStop(row, cause: .artifactUntrusted, message: reason, actor: caller.principalId,
                                                              requestID: requestID, auditDetails: details).record)
            } else if row.trustFlag != reason {
                var event = row.auditEvent(action: "apps.instance.flag", actor: caller.principalId, requestID: requestID, message: reason)
                event.details.merge(details) { _, added in added }
                try await repository.flagUntrusted(row, reason: reason, audit: event)
                var flagged = live.row(row.id) ?? row
                flagged.trustFlag = reason
                if live.row(row.id) != nil { live.put(flagged) }
                acted.append(flagged.record)
            }
        }
        return acted
    }
}

extension InstanceService {
    /// The platform itself, as the actor of what the sweep does.
    static let sweeper = Caller(principalId: "platformd", principalName: "platformd", principalKind: "service", keyId: "",
                                tenantId: nil, projectId: nil, scopes: [], expiresAt: "")

    /// The durable half: every ``Settings/budgetSweepInterval`` (from the supervisor's poll)
    /// the running instances this server supervises are checked against their artifacts'
    /// recorded trust states, so an instance is flagged or stopped even when the process that
    /// demoted or quarantined its artifact stopped before it could act (the route acts at
    /// once; this catches up).
    func sweepUntrustedInstances() async {
        do {
            try await sweepUntrustedInstancesOnce()
        } catch {
            supervisor.logger.warning("untrusted-artifact sweep failed; the next one retries", metadata: ["error": "\(error)"])
        }
    }

    /// One sweep (see ``sweepUntrustedInstances()``).
    func sweepUntrustedInstancesOnce() async throws {
        let rows = live.all().filter { !$0.isTerminal && !$0.stopRequested }
        let running = rows.compactMap { row in row.image.split(separator: "@").last.map { (project: row.projectId, digest: String($0)) } }
        guard !running.isEmpty else { return }
        let states = try await admission.ledger.recordedStates(of: running)
        var byProject: [String: (tenant: String, changes: [ArtifactTrustChange])] = [:]
        for row in rows {
            guard let digest = row.image.split(separator: "@").last.map(String.init),
                  let state = states["\(row.projectId)/\(digest)"],
                  let required = supervisor.settings.environments[row.environment],
                  !state.satisfies(required) else { continue }
            byProject[row.projectId, default: (row.tenantId, [])].changes.append(ArtifactTrustChange(digest: digest, from: required, to: state))
        }
        for (project, found) in byProject {
            let project = Project(id: project, tenantId: found.tenant, name: "", createdAt: "")
            try await enforceTrust(in: project, changes: found.changes, by: Self.sweeper, requestID: nil)
        }
    }
}

extension InstanceRepository {
    /// Records why an instance is flagged as running an untrusted artifact, with its audit
    /// record, in one transaction.
    func flagUntrusted(_ row: InstanceRow, reason: String, audit event: AuditEvent) async throws {
        let audit = self.audit
        try await store.transaction { db in
            try await db.update("apps_instances").set("trust_flag", to: SQLBind(reason)).where("id", .equal, row.id).run()
            try await audit.append(event, tenant: row.tenantId, in: db)
        }
    }
}
