/// The release contract (implemented by `ReleaseService` in the evidence shared service):
/// release candidates, their evidence bundles, approvals with separation of duties, the six
/// gates and the signed decisions. Routes resolve the project for the caller first; the
/// service never sees a project the caller cannot reach.
public protocol ReleaseManagement: Sendable {
    /// Creates a candidate and attaches the platform-made `release-candidate` and
    /// `migration-status` statements. Every digest must be an artifact of the project.
    func create(_ request: ReleaseRequest, in project: Project, by caller: Caller, requestID: String?) async throws -> Release
    /// The project's releases, newest first.
    func releases(in project: Project) async throws -> [Release]
    /// One release with its bundle and latest decision.
    func release(_ id: String, in project: Project) async throws -> Release
    /// Verifies (signature against the project's keys, subjects cover the artifacts, predicate
    /// against its type's schema) and attaches a hand-made statement.
    func attach(_ request: ReleaseEvidenceRequest, to id: String, in project: Project, by caller: Caller,
                requestID: String?) async throws -> ReleaseEvidence
    /// Signs `predicate` (a JSON object's bytes) with the platform's key as an in-toto statement of `type` about the
    /// release's artifacts and attaches it (platform-made evidence: smoke, contract, migration,
    /// capacity). `correlationId` is recorded on the release when given.
    func attachPlatformEvidence(type: String, predicate: [UInt8], to id: String, in project: Project, by caller: Caller,
                                correlationId: String?, requestID: String?) async throws -> ReleaseEvidence
    /// Records an approval (refused for the release's creator, signers and attachers).
    func approve(_ request: ReleaseApprovalRequest, release id: String, in project: Project, by caller: Caller,
                 requestID: String?) async throws -> Release
    /// Evaluates the six gates under the current policy snapshot; `record` signs and stores
    /// the decision (a VSA-shaped statement) and audits it.
    func evaluate(release id: String, in project: Project, by caller: Caller, record: Bool, requestID: String?) async throws
        -> ReleaseDecision
    /// Marks a release promoted after its artifacts moved (the route promotes them through the
    /// artifact trust ledger under the recorded passing decision).
    func markPromoted(release id: String, decision: String, in project: Project, by caller: Caller, correlationId: String?,
                      requestID: String?) async throws -> Release
    /// One of the release's envelopes (evidence, approval or any recorded decision) by
    /// digest; `release.not_found` for a digest the release does not hold.
    func envelope(_ digest: String, release id: String, in project: Project) async throws -> SignedEnvelope
    /// The platform's evidence-signing public key (PEM) and its key id.
    func platformKey() -> (keyId: String, publicKeyPEM: String)
    /// Every environment's releases with their latest decisions (the readiness view).
    func readiness() async throws -> [EnvironmentReadiness]
}

/// What the artifact trust ledger asks before a move to `promoted:production`.
public protocol ReleaseDecisions: Sendable {
    /// The id of the newest recorded *passing* decision of a release of `project` for
    /// `environment` that covers `digest`, or `nil`.
    func passingDecision(project: String, digest: String, environment: String) async throws -> String?
}
