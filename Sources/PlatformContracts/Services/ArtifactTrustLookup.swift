/// What releases ask the artifact trust ledger (implemented by `TrustLedger`): an artifact's
/// effective trust state now (signatures and evidence re-verified), for the release gates'
/// environment profile.
public protocol ArtifactTrustLookup: Sendable {
    /// The effective state of `digest` in `project`; throws `artifacts.not_found`.
    func effectiveTrust(project: Project, digest: String) async throws -> TrustState
}
