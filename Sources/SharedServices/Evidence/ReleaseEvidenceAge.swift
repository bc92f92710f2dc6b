import PlatformContracts
import PlatformStore
import SQLKit

/// How old the evidence behind each environment's newest release decision is: the SLO
/// evidence `platform_release_evidence_age_seconds{environment}`. A release promoted today
/// on a bundle whose oldest input is months old, or no decision for weeks, both show as a
/// growing age.
///
/// The age of a bundle is the time since its oldest input was attached, among the evidence
/// attached no later than the decision (what the decision evaluated); a decision over an
/// empty bundle counts from the decision itself.
public enum ReleaseEvidenceAge {
    /// The environments a release targets (those a release may name).
    public static let environments = ["staging", "production"]

    /// The age per environment with a decision (environments without one are absent), at `now`.
    public static func sample(_ store: SQLStore, now: Timestamp = .now()) async throws -> [String: Duration] {
        try await store.read { db in try await sample(db, now: now) }
    }

    /// ``sample(_:now:)`` in an open read.
    public static func sample(_ db: any SQLDatabase, now: Timestamp) async throws -> [String: Duration] {
        var ages: [String: Duration] = [:]
        for environment in environments {
            guard let decision = try await db.select().columns("release_id", "decided_at").from("release_decisions")
                .where("environment", .equal, environment)
                .orderBy("decided_at", .descending).orderBy("seq", .descending).limit(1).first()
            else { continue }
            let release = try decision.decode(column: "release_id", as: String.self)
            let decidedAt = try decision.decode(column: "decided_at", as: String.self)
            let oldest = try await db.select().column(SQLFunction("MIN", args: SQLColumn("attached_at")), as: "oldest")
                .from("release_evidence").where("release_id", .equal, release).where("attached_at", .lessThanOrEqual, decidedAt)
                .first()?.decode(column: "oldest", as: String?.self)
            guard let since = Timestamp(rfc3339: oldest ?? decidedAt) else { continue }
            let milliseconds = now.millisecondsSinceEpoch > since.millisecondsSinceEpoch
                ? now.millisecondsSinceEpoch - since.millisecondsSinceEpoch : 0
            ages[environment] = .milliseconds(Int64(clamping: milliseconds))
        }
        return ages
    }
}
