import OCIKit
import PlatformContracts

/// Separation of duties in promotion, and what the release gates ask the ledger.
///
/// Project roles hold `artifacts:trust:promote` (so a project admin can move an artifact to
/// `promoted:staging`), and they also hold `artifacts:signingkey:manage`: if that were enough
/// for production, one person could register a key, sign, attach a scan they wrote and ship.
/// A move to `promoted:production` therefore needs, on top of the type's gate, the
/// `release:promote` scope (only `platform-control` and `platform-admin` hold it) and a
/// recorded passing release decision that covers the digest.
extension TrustLedger: ArtifactTrustLookup {
    /// The scope a move to `promoted:production` needs besides `artifacts:trust:promote`.
    public static let productionScope = "release:promote"

    /// The effective state of `digest` now (signatures and evidence re-verified), for the
    /// release gates' environment profile; throws `artifacts.not_found`.
    public func effectiveTrust(project: Project, digest: String) async throws -> TrustState {
        let parsed: ContentDigest
        do {
            parsed = try ContentDigest(parsing: digest)
        } catch {
            throw PlatformError(.artifactNotFound, "no artifact \(digest) in project \(project.id): not a digest")
        }
        return try await evaluate(project: project, digest: parsed).effectiveState
    }

    /// The id of the passing release decision that lets `caller` move `digest` to
    /// `promoted:production`, or the refusal: ``ErrorCode/iamForbidden`` without
    /// `release:promote`, ``ErrorCode/releaseDecisionRequired`` without a decision.
    func productionDecision(project: Project, digest: ContentDigest, caller: Caller) async throws -> String {
        if let refusal = try await productionAuthorityRefusal(caller) { throw refusal }
        guard let releases,
              let decision = try await releases.passingDecision(project: project.id, digest: digest.description, environment: "production")
        else {
            throw PlatformError(.releaseDecisionRequired,
                                "promotion to promoted:production needs a passing release decision for production covering \(digest); create a release, satisfy its gates and promote the release",
                                details: ["missing": "passing release decision (production)"])
        }
        return decision
    }

    /// ``ErrorCode/iamForbidden`` when `caller` lacks `release:promote`, else `nil`.
    func productionAuthorityRefusal(_ caller: Caller) async throws -> PlatformError? {
        guard case .deny(let reason) = try await identity.authorize(caller, scope: Self.productionScope) else { return nil }
        return PlatformError(.iamForbidden,
                             "\(reason); promotion to promoted:production needs \(Self.productionScope) (held by platform control, not by project roles)",
                             details: ["missing": "scope \(Self.productionScope)"])
    }
}
