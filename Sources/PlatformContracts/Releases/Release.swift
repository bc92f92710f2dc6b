/// The lifecycle of a release candidate.
public enum ReleaseState: String, Sendable, Codable, CaseIterable {
    /// Collecting evidence and approvals.
    case candidate
    /// Every artifact was promoted to the environment under a passing decision.
    case promoted
}

/// A release candidate: a set of artifact digests built from one source commit, headed for
/// one environment, with its evidence bundle, approvals and latest gate decision.
public struct Release: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    public var projectId: String
    public var tenantId: String
    /// `staging` or `production` (an environment the server knows).
    public var environment: String
    /// `sha256:…` digests of the artifacts in the project, sorted.
    public var artifacts: [String]
    /// The 40-hex source commit.
    public var sourceSha: String
    public var branch: String
    public var state: ReleaseState
    /// The principal that created it.
    public var createdBy: String
    public var createdAt: String
    /// Every evidence statement attached, oldest first.
    public var evidence: [ReleaseEvidence]
    public var approvals: [ReleaseApproval]
    /// The bundle's fifteen fields and the evidence that carries each (`nil`: missing).
    public var bundle: [ReleaseBundleField]
    /// Request ids of the release's deploy and smoke actions: the audit log's correlation ids.
    public var correlationIds: [String]
    /// The latest recorded gate decision, if any.
    public var decision: ReleaseDecision?

    public init(id: String, projectId: String, tenantId: String, environment: String, artifacts: [String], sourceSha: String,
                branch: String, state: ReleaseState, createdBy: String, createdAt: String, evidence: [ReleaseEvidence] = [],
                approvals: [ReleaseApproval] = [], bundle: [ReleaseBundleField] = [], correlationIds: [String] = [],
                decision: ReleaseDecision? = nil) {
        self.id = id
        self.projectId = projectId
        self.tenantId = tenantId
        self.environment = environment
        self.artifacts = artifacts
        self.sourceSha = sourceSha
        self.branch = branch
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.evidence = evidence
        self.approvals = approvals
        self.bundle = bundle
        self.correlationIds = correlationIds
        self.decision = decision
    }
}

/// One field of the bundle and the statement that carries it.
public struct ReleaseBundleField: Sendable, Codable, Equatable {
    public var field: ReleaseField
    /// The evidence type that carries it.
    public var evidenceType: String
    /// The carrying envelope's digest (`sha256:…`), `nil` while missing.
    public var envelope: String?
    public init(field: ReleaseField, evidenceType: String, envelope: String?) {
        self.field = field
        self.evidenceType = evidenceType
        self.envelope = envelope
    }
}

/// One evidence statement attached to a release.
public struct ReleaseEvidence: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    /// Its evidence-type id.
    public var type: String
    /// The predicate type of its in-toto statement.
    public var predicateType: String
    /// `sha256:…` of the DSSE envelope as stored (a blob).
    public var envelope: String
    /// The key that signed it (`platform` for platform-made evidence).
    public var keyId: String
    /// The principal that registered the signing key (the signer), or `platform`.
    public var signer: String
    /// The principal that attached it.
    public var attachedBy: String
    public var attachedAt: String
    /// Made and signed by the platform itself (time-to-ready, contract drift, migration status…).
    public var platformMade: Bool
    /// Facts the platform derived from the predicate (a scan's highest severity, a UAT's
    /// pass count, a smoke's time-to-ready) — derived, never copied from a summary field.
    public var facts: [String: String]

    public init(id: String, type: String, predicateType: String, envelope: String, keyId: String, signer: String,
                attachedBy: String, attachedAt: String, platformMade: Bool, facts: [String: String] = [:]) {
        self.id = id
        self.type = type
        self.predicateType = predicateType
        self.envelope = envelope
        self.keyId = keyId
        self.signer = signer
        self.attachedBy = attachedBy
        self.attachedAt = attachedAt
        self.platformMade = platformMade
        self.facts = facts
    }
}

/// The role an approval is given in.
public enum ReleaseApprovalRole: String, Sendable, Codable, CaseIterable {
    /// Any holder of `release:approve` other than the release's signers and attachers.
    case reviewer
    /// A holder of `release:approve:security` (required when the residual-risk class says so).
    case securityOwner = "security-owner"
}

/// An approval, recorded as a platform-signed `approval` statement naming the approver.
public struct ReleaseApproval: Sendable, Codable, Equatable {
    public var approver: String
    public var role: ReleaseApprovalRole
    public var comment: String
    public var approvedAt: String
    /// The `approval` evidence envelope's digest.
    public var envelope: String
    public init(approver: String, role: ReleaseApprovalRole, comment: String, approvedAt: String, envelope: String) {
        self.approver = approver
        self.role = role
        self.comment = comment
        self.approvedAt = approvedAt
        self.envelope = envelope
    }
}
