import Foundation
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// One artifact whose trust fell: demoted on the ladder (its recorded state was above what
/// its signatures and evidence support now), or put in a side state (quarantined, revoked).
public struct ArtifactTrustChange: Sendable, Equatable {
    /// Creates a change.
    public init(digest: String, from: TrustState, to: TrustState) {
        self.digest = digest
        self.from = from
        self.to = to
    }

    /// The artifact's digest.
    public var digest: String
    /// The recorded state before.
    public var from: TrustState
    /// The recorded state now.
    public var to: TrustState
}

/// Revocation has effect: the recorded state follows the effective one down.
///
/// Admission already re-verifies trust at every launch, so a revoked key stops the next
/// launch at once; but a recorded `promoted:production` that no longer holds would keep
/// reading as promoted in listings, dashboards and release gates. Revoking a signing key
/// (or quarantining / revoking an artifact) therefore re-evaluates every artifact of the
/// project and demotes each whose recorded state is above its effective state, with an
/// `artifacts.trust.demote` audit record and an `artifact.demoted` notice written in the
/// same transaction as the new state.
extension TrustLedger {
    /// Re-evaluates every artifact of `project` and demotes each whose recorded state is above
    /// its effective state; returns the demotions (none when nothing fell).
    /// - Parameter cause: Why (`signing-key <id> revoked`, `artifact <digest> quarantined`),
    ///   named in the audit record and the notice.
    @discardableResult
    public func reevaluate(project: Project, by caller: Caller, requestID: String?, cause: String) async throws -> [ArtifactTrustChange] {
        var changes: [ArtifactTrustChange] = []
        for summary in try await artifacts(in: project) where summary.state.rank > TrustState.registered.rank {
            guard let digest = try? ContentDigest(parsing: summary.digest) else { continue }
            let status = try await evaluate(project: project, digest: digest)
            guard status.effectiveState.rank >= 0, status.effectiveState.rank < status.state.rank else { continue }
            if try await demote(status, project: project, caller: caller, requestID: requestID, cause: cause) {
                changes.append(ArtifactTrustChange(digest: status.digest, from: status.state, to: status.effectiveState))
            }
        }
        return changes
    }

    /// The recorded states of `digests` (each in its project), keyed `project/digest`: one read,
    /// for the instance supervisor's sweep of running instances (a recorded state is what a
    /// demotion or a quarantine wrote, so the sweep needs no signature checks).
    public func recordedStates(of digests: [(project: String, digest: String)]) async throws -> [String: TrustState] {
        let wanted = Set(digests.map { "\($0.project)/\($0.digest)" })
        guard !wanted.isEmpty else { return [:] }
        return try await store.read { db in
            var states: [String: TrustState] = [:]
            for row in try await db.select().columns("project_id", "digest", "state").from("artifacts_trust")
                .where("digest", .in, Array(Set(digests.map(\.digest))).sorted()).all() {
                let key = "\(try row.decode(column: "project_id", as: String.self))/\(try row.decode(column: "digest", as: String.self))"
                if wanted.contains(key), let state = TrustState(rawValue: try row.decode(column: "state", as: String.self)) {
                    states[key] = state
                }
            }
            return states
        }
    }

    /// Writes one demotion (state, audit, notice) in one transaction; `false` when another
    /// writer moved the artifact first (the conditional update matched nothing).
    func demote(_ status: ArtifactStatus, project: Project, caller: Caller, requestID: String?, cause: String) async throws -> Bool {
        let now = Timestamp.now().rfc3339
        let target = status.effectiveState
        return try await store.transaction { db in
            let current = try await db.select().column("state").from("artifacts_trust").where("project_id", .equal, project.id)
                .where("digest", .equal, status.digest).first()?.decode(column: "state", as: String.self)
            guard current == status.state.rawValue else { return false }
            try await db.update("artifacts_trust").set("state", to: target.rawValue).set("updated_at", to: now)
                .set("held_by", to: SQLBind(String?.none))
                .where("project_id", .equal, project.id).where("digest", .equal, status.digest)
                .where("state", .equal, status.state.rawValue).run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "artifacts.trust.demote",
                           target: "artifact/\(project.id)/\(status.digest)", outcome: .success, requestID: requestID,
                           details: ["from": status.state.rawValue, "to": target.rawValue, "cause": cause,
                                     "missing": status.gates.filter { !$0.satisfied && $0.to.rank > target.rank }
                                         .flatMap(\.missing).joined(separator: "; ")],
                           project: project.id),
                tenant: project.tenantId, in: db)
            if let outbox {
                let notice = Self.demotionNotice(status, to: target, project: project, caller: caller, cause: cause, at: now)
                try await outbox.notify(notice.event, dedupeKey: notice.dedupeKey, in: db)
            }
            return true
        }
    }

    /// The `artifact.demoted` notice, addressed to whoever caused the demotion, with a dedupe
    /// key naming the state it left and when that state was recorded (a retried transaction
    /// writes it once; a later demotion from a re-promoted state writes a new one).
    static func demotionNotice(_ status: ArtifactStatus, to target: TrustState, project: Project, caller: Caller, cause: String,
                               at: String) -> (event: NotificationEvent, dedupeKey: String) {
        let name = status.tags.first ?? status.repositories.first
        let event = NotificationEvent(
            template: "artifact.demoted", project: project.id, tenant: project.tenantId, recipients: [caller.principalId],
            variables: ["artifact": name ?? status.digest, "digest": status.digest, "from_state": status.state.rawValue,
                        "trust_state": target.rawValue, "cause": cause],
            occurredAt: Timestamp(rfc3339: at) ?? .now())
        return (event, "artifact.demoted/\(project.id)/\(status.digest)/\(status.state.rawValue)/\(status.updatedAt)")
    }
}
