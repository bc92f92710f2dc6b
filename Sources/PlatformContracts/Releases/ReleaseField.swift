/// The fifteen fields of a release's evidence bundle (the seed's list), each carried by an
/// in-toto statement in a DSSE envelope of one evidence type. The release's identity (its id,
/// environment target, artifact digests, source SHA and branch) is one statement the platform
/// signs when the release is created (`release-candidate`); every other field is a statement
/// of its own type.
public enum ReleaseField: String, Sendable, Codable, CaseIterable {
    case releaseId = "release_id"
    case environmentTarget = "environment_target"
    case artifactDigests = "artifact_digests"
    case sourceSha = "source_sha"
    case branch
    case pipelineLinks = "pipeline_links"
    case uatResult = "uat_result"
    case securityScan = "security_scan"
    case contractDrift = "contract_drift"
    case migrationStatus = "migration_status"
    case capacityPosture = "capacity_posture"
    case approvals
    case residualRisk = "residual_risk"
    case rollbackPlan = "rollback_plan"
    case deploySmoke = "deploy_smoke"

    /// The evidence type (an id of the evidence-type registry) whose statement carries the field.
    public var evidenceType: String {
        switch self {
        case .releaseId, .environmentTarget, .artifactDigests, .sourceSha, .branch: "release-candidate"
        case .pipelineLinks: "pipeline-links"
        case .uatResult: "uat-result"
        case .securityScan: "security-scan"
        case .contractDrift: "contract-drift"
        case .migrationStatus: "migration-status"
        case .capacityPosture: "capacity-posture"
        case .approvals: "approval"
        case .residualRisk: "residual-risk"
        case .rollbackPlan: "rollback-plan"
        case .deploySmoke: "deploy-smoke"
        }
    }
}

/// The six release gates, each evaluated against the bundle under the policy snapshot.
public enum ReleaseGate: String, Sendable, Codable, CaseIterable {
    /// The API contract and both SDKs match their sources (platform-made `contract-drift`).
    case contractDrift = "contract-sdk-drift"
    /// Automated UAT passed (`uat-result`: no failures, at least one test).
    case uatAutomation = "uat-automation"
    /// A security scan whose derived highest severity is under the policy's limit.
    case securityEvidence = "security-evidence"
    /// The target environment's profile: artifacts at the trust state it requires, the
    /// server's migrations current, and a staging smoke launch ready within its limit.
    case environmentProfile = "environment-profile"
    /// Capacity held in reserve and the rollout ring posture meet the policy.
    case capacityReserve = "capacity-reserve"
    /// A distinct approver (a security owner when the residual-risk class says so), a
    /// residual-risk statement and a rollback or forward-fix plan.
    case approvalResidualRisk = "approval-residual-risk"

    /// The bundle fields the gate reads, and where a missing one is listed: every field has
    /// exactly one gate (pipeline links count as UAT automation's; the release's identity as
    /// the environment profile's), so no required field can be missing unnoticed.
    public var fields: [ReleaseField] {
        switch self {
        case .contractDrift: [.contractDrift]
        case .uatAutomation: [.uatResult, .pipelineLinks]
        case .securityEvidence: [.securityScan]
        case .environmentProfile: [.releaseId, .environmentTarget, .artifactDigests, .sourceSha, .branch, .migrationStatus, .deploySmoke]
        case .capacityReserve: [.capacityPosture]
        case .approvalResidualRisk: [.approvals, .residualRisk, .rollbackPlan]
        }
    }
}
