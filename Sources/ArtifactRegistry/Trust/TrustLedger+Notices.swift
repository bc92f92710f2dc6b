import PlatformContracts

extension TrustLedger {
    /// The `artifact.promoted` notice of a move to `promoted:staging` or `promoted:production`
    /// (other moves — verification, quarantine, revocation — announce nothing here), addressed
    /// to the promoter, with its dedupe key (`artifact.promoted/<project>/<digest>/<state>`: a
    /// digest reaches a rung once, so a retried transaction writes the notice once).
    static func promotionNotice(_ status: ArtifactStatus, to target: TrustState, project: Project, caller: Caller,
                                at: String) -> (event: NotificationEvent, dedupeKey: String)? {
        guard target == .promotedStaging || target == .promotedProduction else { return nil }
        // A tag is already a full reference (`project/app:1.0.0`); an untagged artifact is named by its repository.
        let name = status.tags.first ?? status.repositories.first
        let event = NotificationEvent(
            template: "artifact.promoted", project: project.id, tenant: project.tenantId, recipients: [caller.principalId],
            variables: ["artifact": name ?? status.digest, "digest": status.digest, "trust_state": target.rawValue],
            occurredAt: Timestamp(rfc3339: at) ?? .now())
        return (event, "artifact.promoted/\(project.id)/\(status.digest)/\(target.rawValue)")
    }
}
