import PlatformContracts
import PlatformStore
import SQLKit

/// Writes `quota.threshold` notifications (the notification-template registry's variables:
/// project, quota, used, limit, percent) on the admitting transaction, so a notice exists
/// exactly when the admission that crossed the threshold committed.
struct QuotaThresholds: Sendable {
    let clock: any PlatformClock

    /// The outbox dedupe key of one crossing:
    /// `quota.threshold/<project>/<quota>/<80|100>/<policy snapshot>/<yyyy-mm>`.
    ///
    /// Admission only reports a real crossing (below the threshold before, at or above it
    /// after), but a project whose use swings around the line (stop one, launch one) crosses
    /// it again and again. The key makes that one notice per threshold per limit version per
    /// month: a new policy snapshot (the limit was changed, or any policy) re-arms it, since
    /// the threshold then means something else, and so does a new calendar month, so a
    /// project on an unchanged policy is still told monthly. A retried transaction rewrites
    /// the same key, which the outbox drops.
    static func dedupeKey(project: String, quota: String, percent: Int, snapshot: String, at: Timestamp) -> String {
        "quota.threshold/\(project)/\(quota)/\(percent)/\(snapshot)/\(at.rfc3339.prefix(7))"
    }

    /// Enqueues one notification per crossing, addressed to the launching principal.
    func notify(_ crossings: [AdmissionLimits.Crossing], limits: AdmissionLimits, project: Project, recipient: String,
                in db: any SQLDatabase) async throws {
        guard !crossings.isEmpty else { return }
        let now = clock.now()
        let outbox = OutboxWriter(clock: clock)
        for crossing in crossings {
            let event = NotificationEvent(
                template: "quota.threshold", project: project.id, tenant: project.tenantId, recipients: [recipient],
                variables: ["project": project.name, "quota": crossing.quota, "used": String(crossing.used),
                            "limit": String(crossing.limit), "percent": String(crossing.percent)],
                occurredAt: now)
            try await outbox.notify(event, dedupeKey: Self.dedupeKey(project: project.id, quota: crossing.quota, percent: crossing.percent,
                                                                     snapshot: limits.snapshot, at: now), in: db)
        }
    }
}
